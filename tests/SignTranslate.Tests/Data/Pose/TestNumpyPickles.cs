using System.Buffers.Binary;
using System.Text;

namespace SignTranslate.Tests.Data.Pose;

/// <summary>
/// Writes pickles of numpy arrays opcode by opcode, the way numpy's protocol-5 <c>__reduce_ex__</c> pickles them
/// (<c>_frombuffer(buffer, dtype, shape, 'C')</c>), so tests can build keypoint pickles of any shape without Python.
/// </summary>
internal static class TestNumpyPickles
{
    /// <summary>A pickled dict of the named arrays; <paramref name="numpyModule"/> is numpy 1's or 2's core module.</summary>
    public static byte[] Dict(string numpyModule, params (string Key, double[] Values, int[] Shape, bool Float64)[] arrays) =>
        Dict(numpyModule, bigEndian: false, fortran: false, arrays);

    /// <param name="bigEndian">Write the bytes big-endian, with the dtype state saying '&gt;'.</param>
    /// <param name="fortran">Mark the arrays order 'F'; <c>Values</c> must then be given column-major.</param>
    public static byte[] Dict(string numpyModule, bool bigEndian, bool fortran, params (string Key, double[] Values, int[] Shape, bool Float64)[] arrays)
    {
        var bytes = new List<byte> { 0x80, 5, (byte)'}', (byte)'(' };
        foreach (var (key, values, shape, float64) in arrays)
        {
            Text(bytes, key);
            Text(bytes, $"{numpyModule}.numeric");
            Text(bytes, "_frombuffer");
            bytes.AddRange([0x93, (byte)'(']);
            var data = values.SelectMany(v => float64 ? BitConverter.GetBytes(v) : BitConverter.GetBytes((float)v)).ToArray();
            if (bigEndian)
                for (var at = 0; at < data.Length; at += float64 ? 8 : 4) System.Array.Reverse(data, at, float64 ? 8 : 4);
            bytes.Add(0x96);
            bytes.AddRange(BitConverter.GetBytes((long)data.Length));
            bytes.AddRange(data);
            Text(bytes, "numpy");
            Text(bytes, "dtype");
            bytes.Add(0x93);
            Text(bytes, float64 ? "f8" : "f4");
            bytes.AddRange([0x89, 0x88, 0x87, (byte)'R', (byte)'(', (byte)'K', 3]);
            Text(bytes, bigEndian ? ">" : "<");
            bytes.AddRange([(byte)'N', (byte)'N', (byte)'N']);
            Int(bytes, -1);
            Int(bytes, -1);
            bytes.AddRange([(byte)'K', 0, (byte)'t', (byte)'b', (byte)'(']);
            foreach (var size in shape) Int(bytes, size);
            bytes.Add((byte)'t');
            Text(bytes, fortran ? "F" : "C");
            bytes.AddRange([(byte)'t', (byte)'R']);
        }
        bytes.AddRange([(byte)'u', (byte)'.']);
        return bytes.ToArray();
    }

    private static void Text(List<byte> bytes, string text)
    {
        var utf8 = Encoding.UTF8.GetBytes(text);
        bytes.AddRange([0x8c, (byte)utf8.Length]);
        bytes.AddRange(utf8);
    }

    private static void Int(List<byte> bytes, int value)
    {
        var buffer = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(buffer, value);
        bytes.Add((byte)'J');
        bytes.AddRange(buffer);
    }
}
