using static TorchSharp.torch;

namespace SignTranslate.Checkpoints;

/// <summary>
/// A single state dict from a weights file of either format: <c>.safetensors</c>, or a <c>torch.save</c> file
/// (<c>.pth</c>, <c>.pt</c>, <c>.bin</c>) holding a plain state dict or a training checkpoint with a <c>model</c> or
/// <c>state_dict</c> entry.
/// </summary>
public static class StateDictFile
{
    /// <summary>The tensors by name (CPU; the caller owns them). Throws <see cref="InputException"/> for unreadable files.</summary>
    public static Dictionary<string, Tensor> Load(string path)
    {
        if (!File.Exists(path))
            throw new InputException($"{path}: weights file not found");
        try
        {
            if (path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase))
                return SafeTensorsFile.Load(path);
            var dicts = PyTorchCheckpointFile.LoadStateDicts(path);
            foreach (var entry in new[] { "", "model", "state_dict" })
                if (dicts.TryGetValue(entry, out var tensors))
                    return tensors;
            throw new InputException($"{path}: no state dict in the file (entries: {string.Join(", ", dicts.Keys)})");
        }
        catch (Exception e) when (e is InvalidDataException or IOException or ArgumentException)
        {
            throw new InputException($"{path}: cannot read weights ({e.Message})", e);
        }
    }
}
