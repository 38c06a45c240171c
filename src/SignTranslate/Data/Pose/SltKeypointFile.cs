using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using SignTranslate.Files;

namespace SignTranslate.Data.Pose;

/// <summary>
/// The project's own keypoint format: a safetensors file with one float32 tensor <c>keypoints</c> [T, 133, 3]
/// (x, y, score in <see cref="KeypointLayout"/>), written by <c>slt synth</c> and readable from Python with the
/// safetensors package (docs/pose.md#formats). The few bytes of the format (an 8-byte little-endian header length,
/// a JSON header, the raw data) are read and written here rather than through the checkpoint layer's safetensors
/// support, which the data layer must not use (docs/architecture.md); that also lets every problem name the file.
/// </summary>
public static class SltKeypointFile
{
    public const string Extension = ".safetensors";
    public const string TensorName = "keypoints";

    public static void Write(string path, KeypointSequence sequence)
    {
        var data = new byte[sequence.Values.Length * sizeof(float)];
        for (var i = 0; i < sequence.Values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(i * sizeof(float)), sequence.Values[i]);
        var header = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            [TensorName] = new Dictionary<string, object>
            {
                ["dtype"] = "F32",
                ["shape"] = new[] { sequence.Frames, KeypointLayout.Joints, KeypointLayout.Channels },
                ["data_offsets"] = new long[] { 0, data.Length },
            },
        });
        header += new string(' ', (8 - Encoding.UTF8.GetByteCount(header) % 8) % 8); // the data starts 8-byte aligned
        var headerBytes = Encoding.UTF8.GetBytes(header);
        var file = new byte[8 + headerBytes.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)headerBytes.Length);
        headerBytes.CopyTo(file, 8);
        data.CopyTo(file, 8 + headerBytes.Length);
        UserFiles.WriteAllBytes(path, file);
    }

    /// <exception cref="KeypointFileException">Missing, not safetensors, no <c>keypoints</c> tensor, not [T, 133, 3] of
    /// float32 or float64, or not finite.</exception>
    public static KeypointSequence Read(string path)
    {
        if (!File.Exists(path)) throw new KeypointFileException(path, "keypoint file not found");
        var bytes = UserFiles.ReadAllBytes(path, "keypoint file");
        if (bytes.Length < 8) throw new KeypointFileException(path, "not a safetensors file (shorter than its 8-byte header length)");
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (headerLength > (ulong)(bytes.Length - 8))
            throw new KeypointFileException(path, $"not a safetensors file (its header length {headerLength} exceeds the file's {bytes.Length} bytes)");
        var dataStart = 8 + (int)headerLength;
        using var header = ParseHeader(path, bytes.AsSpan(8, (int)headerLength));
        if (header.RootElement.ValueKind != JsonValueKind.Object || !header.RootElement.TryGetProperty(TensorName, out var entry))
            throw new KeypointFileException(path, $"no '{TensorName}' tensor (a keypoint file holds keypoints [T, 133, 3])");

        var (dtype, shape, begin, end) = Describe(path, entry);
        if (shape.Length != 3 || shape[2] != KeypointLayout.Channels)
            throw new KeypointFileException(path, $"'{TensorName}' has shape [{string.Join(", ", shape)}], expected [T, {KeypointLayout.Joints}, {KeypointLayout.Channels}] (x, y, score)");
        if (shape[1] != KeypointLayout.Joints)
            throw new KeypointFileException(path, $"has {shape[1]} joints per frame, expected {KeypointLayout.Joints} (COCO-WholeBody)");
        var size = dtype switch { "F32" => 4, "F64" => 8, _ => throw new KeypointFileException(path, $"'{TensorName}' is {dtype}, expected F32 (or F64)") };
        var count = shape[0] * KeypointLayout.Joints * KeypointLayout.Channels;
        if (end - begin != count * size || end > bytes.Length - dataStart)
            throw new KeypointFileException(path, $"'{TensorName}' data [{begin}, {end}) does not hold {count} {dtype} values inside the file (truncated?)");

        var data = bytes.AsSpan(dataStart + (int)begin, (int)(end - begin));
        var values = new float[count];
        for (var i = 0; i < count; i++)
            values[i] = size == 4
                ? BinaryPrimitives.ReadSingleLittleEndian(data[(i * 4)..])
                : (float)BinaryPrimitives.ReadDoubleLittleEndian(data[(i * 8)..]);
        KeypointValues.ThrowUnlessFinite(path, values);
        return new KeypointSequence((int)shape[0], values);
    }

    private static JsonDocument ParseHeader(string path, ReadOnlySpan<byte> header)
    {
        try
        {
            return JsonDocument.Parse(header.ToArray());
        }
        catch (JsonException e)
        {
            throw new KeypointFileException(path, $"not a safetensors file (its JSON header is malformed: {e.Message.Split(" LineNumber:")[0].TrimEnd('.', ' ')})");
        }
    }

    private static (string Dtype, long[] Shape, long Begin, long End) Describe(string path, JsonElement entry)
    {
        try
        {
            var shape = entry.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            var offsets = entry.GetProperty("data_offsets").EnumerateArray().Select(o => o.GetInt64()).ToArray();
            if (offsets is not [var begin, var end] || begin < 0 || end < begin || shape.Any(d => d < 0)) throw new FormatException();
            return (entry.GetProperty("dtype").GetString() ?? "", shape, begin, end);
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new KeypointFileException(path, $"the header entry of '{TensorName}' is not {{dtype, shape, data_offsets}}");
        }
    }
}
