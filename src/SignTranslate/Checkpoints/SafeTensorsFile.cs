using SignTranslate.Files;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace SignTranslate.Checkpoints;

/// <summary>
/// safetensors files: tensors through TorchSharp.PyBridge, plus the optional <c>__metadata__</c> string map of the
/// JSON header (PyBridge does not expose it; the reference vector files name their weights and configs there). The
/// header is checked first (<see cref="SafeTensorsHeader"/>), so a damaged file is one <see cref="InputException"/>.
/// </summary>
public static class SafeTensorsFile
{
    /// <summary>All tensors of the file, by name; CPU tensors that the caller owns.</summary>
    /// <exception cref="InputException">Missing, unreadable, damaged or truncated file.</exception>
    public static Dictionary<string, Tensor> Load(string path)
    {
        using (SafeTensorsHeader.Read(path)) { }
        return UserFiles.Read(path, "safetensors file", p => Safetensors.LoadStateDict(p));
    }

    /// <summary>All tensors of the file and its optional string metadata.</summary>
    public static Dictionary<string, Tensor> Load(string path, out IReadOnlyDictionary<string, string> metadata)
    {
        var tensors = Load(path);
        metadata = ReadMetadata(path);
        return tensors;
    }

    /// <summary>Writes the tensors (moved to CPU, made contiguous).</summary>
    public static void Save(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors)
    {
        using var scope = NewDisposeScope();
        Safetensors.SaveStateDict(path, tensors.ToDictionary(kv => kv.Key, kv => kv.Value.detach().cpu().contiguous()));
    }

    /// <summary>The header's <c>__metadata__</c> map (empty when absent), read without loading any tensor data.</summary>
    public static IReadOnlyDictionary<string, string> ReadMetadata(string path)
    {
        using var header = SafeTensorsHeader.Read(path);
        var metadata = new Dictionary<string, string>();
        if (header.RootElement.TryGetProperty(SafeTensorsHeader.MetadataKey, out var entries))
            foreach (var item in entries.EnumerateObject())
                metadata[item.Name] = item.Value.GetString()!;
        return metadata;
    }
}
