using System.Buffers.Binary;
using System.IO.Compression;

namespace SignTranslate.Data.Synthetic;

/// <summary>
/// A minimal 8-bit RGB PNG encoder for small synthetic frames (no filtering). Tens of thousands of tiny frames are
/// written per dataset, and going through a tensor and a native codec per frame costs more than the encoding itself.
/// </summary>
public static class PngEncoder
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly uint[] CrcTable = BuildCrcTable();

    /// <summary>
    /// Encodes one frame given as planar bytes [3, H, W]. <paramref name="compress"/> = false stores the pixels in
    /// uncompressed deflate blocks: frames with pixel noise do not shrink under deflate, and storing is 2-3x faster.
    /// </summary>
    public static byte[] EncodePlanarRgb(ReadOnlySpan<byte> chw, int width, int height, bool compress = true)
    {
        var plane = width * height;
        if (chw.Length != 3 * plane) throw new ArgumentException($"Expected {3 * plane} bytes for {width}x{height} RGB, got {chw.Length}.", nameof(chw));

        // Each scanline starts with its filter type (0 = none), then R, G, B per pixel.
        var scanlines = new byte[height * (1 + 3 * width)];
        for (int y = 0, o = 0; y < height; y++)
        {
            scanlines[o++] = 0;
            for (int x = 0, at = y * width; x < width; x++, at++)
            {
                scanlines[o++] = chw[at];
                scanlines[o++] = chw[plane + at];
                scanlines[o++] = chw[2 * plane + at];
            }
        }

        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, compress ? CompressionLevel.Fastest : CompressionLevel.NoCompression, leaveOpen: true))
            zlib.Write(scanlines);

        using var png = new MemoryStream(64 + (int)compressed.Length);
        png.Write(Signature);
        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], height);
        header[8] = 8;  // bit depth
        header[9] = 2;  // colour type: truecolour RGB
        header[10] = 0; // deflate
        header[11] = 0; // adaptive filtering
        header[12] = 0; // no interlace
        WriteChunk(png, "IHDR"u8, header);
        WriteChunk(png, "IDAT"u8, compressed.GetBuffer().AsSpan(0, (int)compressed.Length));
        WriteChunk(png, "IEND"u8, []);
        return png.ToArray();
    }

    private static void WriteChunk(Stream png, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        png.Write(word);
        png.Write(type);
        png.Write(data);
        var crc = Crc32(Crc32(0xFFFFFFFFu, type), data) ^ 0xFFFFFFFFu;
        BinaryPrimitives.WriteUInt32BigEndian(word, crc);
        png.Write(word);
    }

    private static uint Crc32(uint crc, ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
            crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc;
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}
