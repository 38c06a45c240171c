using System.Collections;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace SignTranslate.Checkpoints;

/// <summary>
/// Writes <c>torch.save</c>-compatible zip files through TorchSharp.PyBridge's pickler, so Python loads them with
/// <c>torch.load</c>: a plain state dict, or a dict of state dicts (the reference's checkpoint layout,
/// <c>{'model': …, 'text_decoder': …}</c>).
/// </summary>
public static class PyTorchFileWriter
{
    /// <summary>Writes <paramref name="entries"/>; a value is a tensor or a name → tensor dictionary (one nesting level).</summary>
    public static void Save(string path, IEnumerable<KeyValuePair<string, object>> entries)
    {
        using var scope = NewDisposeScope();
        var root = new Hashtable();
        foreach (var (key, value) in entries)
            root[key] = value switch
            {
                Tensor tensor => Prepared(tensor),
                IEnumerable<KeyValuePair<string, Tensor>> dict => ToHashtable(dict),
                _ => throw new ArgumentException($"entry '{key}' is a {value.GetType().Name}, not a tensor or a state dict"),
            };
        using var file = File.Create(path);
        PyTorchPickler.PickleStateDict(file, root);
    }

    /// <summary>Writes a plain state dict (<c>model.load_state_dict(torch.load(path))</c>).</summary>
    public static void SaveStateDict(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors) =>
        Save(path, tensors.Select(kv => KeyValuePair.Create(kv.Key, (object)kv.Value)));

    private static Hashtable ToHashtable(IEnumerable<KeyValuePair<string, Tensor>> tensors)
    {
        var table = new Hashtable();
        foreach (var (key, tensor) in tensors) table[key] = Prepared(tensor);
        return table;
    }

    // The pickler writes the bytes of the tensor as one storage from offset 0, so hand it a dense CPU copy.
    private static Tensor Prepared(Tensor tensor) => tensor.detach().cpu().contiguous().clone();
}
