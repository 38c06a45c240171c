using System.Collections;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace SignTranslate.Models.Checkpoints;

/// <summary>
/// Reads tensors from a PyTorch <c>torch.save</c> zip file (<c>.pth</c>/<c>.bin</c>) through TorchSharp.PyBridge: either a
/// plain state dict or a training checkpoint dict whose entry (e.g. <c>model</c>, <c>text_decoder</c>) is a state dict.
/// </summary>
public static class PyTorchCheckpointFile
{
    /// <summary>
    /// The state dict at <paramref name="entry"/> of the checkpoint, or the whole file when <paramref name="entry"/> is null
    /// or the file is itself a state dict. Non-tensor values are skipped.
    /// </summary>
    public static Dictionary<string, Tensor> LoadStateDict(string path, string? entry = null)
    {
        Hashtable root;
        try
        {
            using var stream = File.OpenRead(path);
            root = PyTorchUnpickler.UnpickleStateDict(stream);
        }
        catch (Exception e) when (e is not FileNotFoundException)
        {
            throw new InvalidDataException($"{path}: not a readable PyTorch zip checkpoint ({e.Message})", e);
        }

        var table = root;
        if (entry is not null && root[entry] is Hashtable nested)
            table = nested;
        else if (entry is not null && root.Values.OfType<Tensor>().Any() is false)
            throw new InvalidDataException($"{path}: no state dict under '{entry}' (top-level keys: {string.Join(", ", root.Keys.Cast<object>())}).");

        var result = new Dictionary<string, Tensor>();
        foreach (DictionaryEntry item in table)
            if (item.Key is string key && item.Value is Tensor tensor)
                result[key] = tensor;
        return result;
    }

    /// <summary>Loads the state dict at <paramref name="entry"/> into <paramref name="module"/> by name, with a report.</summary>
    public static WeightLoadReport LoadInto(nn.Module module, string path, string? entry = null, bool strict = false,
        Func<string, string?>? renameSourceKey = null)
    {
        var tensors = LoadStateDict(path, entry);
        try
        {
            return WeightLoader.Load(module, tensors, strict, renameSourceKey, path);
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }
}
