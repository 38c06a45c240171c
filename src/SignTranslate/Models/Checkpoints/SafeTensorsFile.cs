using System.Text.Json;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace SignTranslate.Models.Checkpoints;

/// <summary>
/// safetensors files: tensors through TorchSharp.PyBridge, plus the optional <c>__metadata__</c> string map of the
/// JSON header (PyBridge does not expose it; the reference vector files name their weights and configs there).
/// </summary>
public static class SafeTensorsFile
{
    private const string MetadataKey = "__metadata__";

    /// <summary>All tensors of the file, by name; CPU tensors that the caller owns.</summary>
    public static Dictionary<string, Tensor> Load(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path}: safetensors file not found", path);
        return Safetensors.LoadStateDict(path);
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
        using var file = File.OpenRead(path);
        Span<byte> lengthBytes = stackalloc byte[8];
        file.ReadExactly(lengthBytes);
        var headerLength = BitConverter.ToUInt64(lengthBytes);
        if (headerLength > (ulong)(file.Length - 8))
            throw new InvalidDataException($"{path}: header length {headerLength} exceeds the file size {file.Length}.");
        var header = new byte[headerLength];
        file.ReadExactly(header);
        using var json = JsonDocument.Parse(header);
        var metadata = new Dictionary<string, string>();
        if (json.RootElement.TryGetProperty(MetadataKey, out var entries))
            foreach (var item in entries.EnumerateObject())
                metadata[item.Name] = item.Value.GetString() ?? "";
        return metadata;
    }
}
