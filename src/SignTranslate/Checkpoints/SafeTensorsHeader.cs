using System.Buffers.Binary;
using System.Text.Json;
using SignTranslate.Files;

namespace SignTranslate.Checkpoints;

/// <summary>
/// Reads and checks the header of a safetensors file before any tensor is loaded: 8 bytes of little-endian header
/// length, a JSON object of <c>name → {dtype, shape, data_offsets}</c> (plus an optional <c>__metadata__</c> map of
/// strings), then the data. TorchSharp.PyBridge trusts the header, so an empty, truncated or foreign file failed
/// deep inside it with a stack trace; checked here, each comes out as one line naming the file.
/// </summary>
internal static class SafeTensorsHeader
{
    public const string MetadataKey = "__metadata__";

    // The safetensors format limits the header to 100 MB; a larger length field means the bytes are not safetensors.
    private const ulong MaxHeaderBytes = 100_000_000;

    private static readonly Dictionary<string, ulong> DTypeBytes = new(StringComparer.Ordinal)
    {
        ["BOOL"] = 1, ["U8"] = 1, ["I8"] = 1, ["F8_E4M3"] = 1, ["F8_E5M2"] = 1,
        ["U16"] = 2, ["I16"] = 2, ["F16"] = 2, ["BF16"] = 2,
        ["U32"] = 4, ["I32"] = 4, ["F32"] = 4,
        ["U64"] = 8, ["I64"] = 8, ["F64"] = 8,
    };

    /// <summary>The parsed header (the caller disposes it), after checking that it describes tensors that fit the file.</summary>
    /// <exception cref="InputException">Missing, unreadable or malformed file.</exception>
    public static JsonDocument Read(string path)
    {
        using var file = UserFiles.OpenRead(path, "safetensors file");
        return UserFiles.Read(path, "safetensors file", _ => Parse(file, path));
    }

    private static JsonDocument Parse(FileStream file, string path)
    {
        var length = file.Length;
        if (length < 8)
            throw Invalid(path, length == 0 ? "the file is empty" : $"the file has only {length} bytes");
        Span<byte> prefix = stackalloc byte[8];
        file.ReadExactly(prefix);
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        var afterPrefix = (ulong)(length - 8);
        if (headerLength > MaxHeaderBytes || headerLength > afterPrefix)
            throw Invalid(path, $"its header length field says {headerLength} bytes, but {afterPrefix} bytes follow it");
        var header = new byte[headerLength];
        file.ReadExactly(header);
        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(header);
        }
        catch (JsonException)
        {
            throw Invalid(path, "its header is not JSON");
        }
        try
        {
            Check(json.RootElement, path, afterPrefix - headerLength);
            return json;
        }
        catch
        {
            json.Dispose();
            throw;
        }
    }

    private static void Check(JsonElement root, string path, ulong dataBytes)
    {
        if (root.ValueKind != JsonValueKind.Object)
            throw Invalid(path, "its header is not a JSON object");
        foreach (var entry in root.EnumerateObject())
        {
            if (entry.Name == MetadataKey)
            {
                if (entry.Value.ValueKind != JsonValueKind.Object || entry.Value.EnumerateObject().Any(m => m.Value.ValueKind != JsonValueKind.String))
                    throw Invalid(path, $"'{MetadataKey}' must map names to strings");
                continue;
            }
            var problem = TensorProblem(entry.Value, dataBytes);
            if (problem is not null)
                throw Invalid(path, $"tensor '{entry.Name}': {problem}");
        }
    }

    private static string? TensorProblem(JsonElement tensor, ulong dataBytes)
    {
        if (tensor.ValueKind != JsonValueKind.Object
            || !tensor.TryGetProperty("dtype", out var dtype) || dtype.ValueKind != JsonValueKind.String
            || !tensor.TryGetProperty("shape", out var shape) || shape.ValueKind != JsonValueKind.Array
            || !tensor.TryGetProperty("data_offsets", out var offsets) || offsets.ValueKind != JsonValueKind.Array || offsets.GetArrayLength() != 2)
            return "expected {dtype, shape, data_offsets: [begin, end]}";
        if (!DTypeBytes.TryGetValue(dtype.GetString()!, out var elementBytes))
            return $"unknown dtype '{dtype.GetString()}'";
        ulong bytes = elementBytes;
        foreach (var dimension in shape.EnumerateArray())
        {
            if (dimension.ValueKind != JsonValueKind.Number || !dimension.TryGetUInt64(out var size))
                return "shape entries must be non-negative integers";
            try
            {
                bytes = checked(bytes * size);
            }
            catch (OverflowException)
            {
                return "its shape is impossibly large";
            }
        }
        if (offsets[0].ValueKind != JsonValueKind.Number || !offsets[0].TryGetUInt64(out var begin)
            || offsets[1].ValueKind != JsonValueKind.Number || !offsets[1].TryGetUInt64(out var end) || end < begin)
            return "data_offsets must be two non-negative integers [begin, end] with begin <= end";
        if (end > dataBytes)
            return $"its data ends at byte {end} of the data section, which has only {dataBytes} bytes";
        if (end - begin != bytes)
            return $"its data_offsets span {end - begin} bytes, but dtype and shape need {bytes}";
        return null;
    }

    private static InputException Invalid(string path, string problem) =>
        new($"{path}: not a valid safetensors file: {problem}; the file is damaged or truncated, copy or write it again");
}
