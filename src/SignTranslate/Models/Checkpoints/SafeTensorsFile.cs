using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace SignTranslate.Models.Checkpoints;

/// <summary>
/// Reads and writes the safetensors layout: an 8-byte little-endian header length, a JSON header that maps each
/// tensor name to dtype, shape and byte offsets, then the raw row-major little-endian data.
/// </summary>
public static class SafeTensorsFile
{
    private const string MetadataKey = "__metadata__";

    /// <summary>All tensors of the file, by name, in file order; CPU tensors that the caller owns.</summary>
    public static Dictionary<string, Tensor> Load(string path) => Load(path, out _);

    /// <summary>All tensors of the file and its optional string metadata.</summary>
    public static Dictionary<string, Tensor> Load(string path, out IReadOnlyDictionary<string, string> metadata)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 8)
            throw new InvalidDataException($"{path}: too short for a safetensors file ({bytes.Length} bytes).");
        var headerLength = BitConverter.ToUInt64(bytes, 0);
        if (headerLength > (ulong)(bytes.Length - 8))
            throw new InvalidDataException($"{path}: header length {headerLength} exceeds the file size {bytes.Length}.");
        var dataStart = 8 + (int)headerLength;
        using var header = JsonDocument.Parse(bytes.AsMemory(8, (int)headerLength));

        var meta = new Dictionary<string, string>();
        var tensors = new Dictionary<string, Tensor>();
        foreach (var entry in header.RootElement.EnumerateObject())
        {
            if (entry.Name == MetadataKey)
            {
                foreach (var item in entry.Value.EnumerateObject())
                    meta[item.Name] = item.Value.GetString() ?? "";
                continue;
            }
            var dtype = ParseDType(entry.Value.GetProperty("dtype").GetString(), path, entry.Name);
            var shape = entry.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            var offsets = entry.Value.GetProperty("data_offsets").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            var begin = dataStart + offsets[0];
            var length = offsets[1] - offsets[0];
            if (offsets.Length != 2 || length < 0 || begin + length > bytes.Length)
                throw new InvalidDataException($"{path}: tensor '{entry.Name}' has data offsets outside the file.");
            var tensor = torch.empty(shape, dtype);
            var expected = tensor.NumberOfElements * tensor.ElementSize;
            if (expected != length)
            {
                tensor.Dispose();
                throw new InvalidDataException(
                    $"{path}: tensor '{entry.Name}' has {length} bytes, expected {expected} for shape [{string.Join(",", shape)}].");
            }
            if (length > 0)
                tensor.bytes = bytes.AsSpan((int)begin, (int)length);
            tensors[entry.Name] = tensor;
        }
        metadata = meta;
        return tensors;
    }

    /// <summary>Writes the tensors (moved to CPU, made contiguous) in the given order, with optional metadata.</summary>
    public static void Save(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        var blobs = new List<(string Name, string DType, long[] Shape, byte[] Data)>();
        foreach (var (name, tensor) in tensors)
        {
            using var cpu = tensor.detach().cpu().contiguous();
            blobs.Add((name, FormatDType(cpu.dtype, name), cpu.shape, cpu.bytes.ToArray()));
        }

        using var json = new MemoryStream();
        using (var writer = new Utf8JsonWriter(json))
        {
            writer.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                writer.WriteStartObject(MetadataKey);
                foreach (var (key, value) in metadata)
                    writer.WriteString(key, value);
                writer.WriteEndObject();
            }
            long offset = 0;
            foreach (var blob in blobs)
            {
                writer.WriteStartObject(blob.Name);
                writer.WriteString("dtype", blob.DType);
                writer.WriteStartArray("shape");
                foreach (var d in blob.Shape) writer.WriteNumberValue(d);
                writer.WriteEndArray();
                writer.WriteStartArray("data_offsets");
                writer.WriteNumberValue(offset);
                writer.WriteNumberValue(offset + blob.Data.Length);
                writer.WriteEndArray();
                writer.WriteEndObject();
                offset += blob.Data.Length;
            }
            writer.WriteEndObject();
        }

        // The data must start on an 8-byte boundary; the format pads the header with spaces.
        var headerBytes = json.ToArray().ToList();
        while (headerBytes.Count % 8 != 0) headerBytes.Add((byte)' ');
        using var file = File.Create(path);
        file.Write(BitConverter.GetBytes((ulong)headerBytes.Count));
        file.Write(headerBytes.ToArray());
        foreach (var blob in blobs)
            file.Write(blob.Data);
    }

    private static ScalarType ParseDType(string? name, string path, string tensor) => name switch
    {
        "F32" => ScalarType.Float32,
        "F64" => ScalarType.Float64,
        "F16" => ScalarType.Float16,
        "BF16" => ScalarType.BFloat16,
        "I64" => ScalarType.Int64,
        "I32" => ScalarType.Int32,
        "I16" => ScalarType.Int16,
        "I8" => ScalarType.Int8,
        "U8" => ScalarType.Byte,
        "BOOL" => ScalarType.Bool,
        _ => throw new InvalidDataException($"{path}: tensor '{tensor}' has unsupported dtype '{name}'."),
    };

    private static string FormatDType(ScalarType type, string tensor) => type switch
    {
        ScalarType.Float32 => "F32",
        ScalarType.Float64 => "F64",
        ScalarType.Float16 => "F16",
        ScalarType.BFloat16 => "BF16",
        ScalarType.Int64 => "I64",
        ScalarType.Int32 => "I32",
        ScalarType.Int16 => "I16",
        ScalarType.Int8 => "I8",
        ScalarType.Byte => "U8",
        ScalarType.Bool => "BOOL",
        _ => throw new NotSupportedException($"Tensor '{tensor}' has dtype {type}, which safetensors cannot store here."),
    };
}
