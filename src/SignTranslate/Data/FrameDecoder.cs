using SkiaSharp;
using static TorchSharp.torch;

namespace SignTranslate.Data;

/// <summary>
/// Decodes PNG/JPEG frames to RGB uint8 tensors (3, H, W) with SkiaSharp, the codec TorchVision's SkiaImager wraps,
/// and with the same pixels. It calls the codec itself because the imager (through <c>SKBitmap.Decode</c>) accepts a
/// decode that ended early: a truncated file came back as a full-size image with the missing rows blank, so
/// <c>slt data check</c> passed it and training and translation read it as a real frame. Only a complete decode is a
/// frame here.
/// </summary>
public static class FrameDecoder
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly byte[] JpegStart = [0xFF, 0xD8, 0xFF];

    // The IEND chunk that closes every PNG: length 0, type "IEND", its CRC.
    private static readonly byte[] PngEnd = [0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82];

    /// <exception cref="InvalidDataException">Not a PNG or JPEG image, or a truncated or corrupt one.</exception>
    public static Tensor Decode(byte[] encoded)
    {
        using var data = SKData.CreateCopy(encoded);
        using var codec = SKCodec.Create(data) ?? throw new InvalidDataException(
            encoded.AsSpan().StartsWith(PngSignature) || encoded.AsSpan().StartsWith(JpegStart)
                ? "truncated or corrupt: the image header cannot be read"
                : "not a decodable PNG or JPEG image");
        var source = codec.Info;
        var gray = source.ColorType == SKColorType.Gray8;
        // As SKBitmap.Decode asks it (premultiplied alpha, no colour space conversion), in a fixed 8-bit byte order.
        var info = new SKImageInfo(source.Width, source.Height, gray ? SKColorType.Gray8 : SKColorType.Rgba8888,
            source.AlphaType == SKAlphaType.Unpremul ? SKAlphaType.Premul : source.AlphaType);
        var result = codec.GetPixels(info, out var pixels);
        if (result != SKCodecResult.Success)
            throw new InvalidDataException(result switch
            {
                SKCodecResult.IncompleteInput => "truncated: the image data ends before the last row",
                SKCodecResult.ErrorInInput => "corrupt image data",
                _ => $"cannot be decoded ({result})",
            });
        // Skia stops reading a PNG where its image data ends, so a file cut inside its last chunk still decodes.
        if (codec.EncodedFormat == SKEncodedImageFormat.Png && encoded.AsSpan().LastIndexOf(PngEnd) < 0)
            throw new InvalidDataException("truncated: the PNG ends before its IEND chunk");
        return tensor(Planar(pixels, info.Width * info.Height, gray), [3, info.Height, info.Width], ScalarType.Byte);
    }

    /// <summary>
    /// Interleaved RGBA (or gray) pixels to three planes (R, G, B). A plain loop: tensor ops here (a channel select and
    /// a permute per frame) were ten times slower than the decode itself when the data workers ran beside a
    /// training step, each small op waiting for LibTorch's busy intra-op threads (docs/benchmarks.md#data-loading).
    /// </summary>
    private static byte[] Planar(byte[] pixels, int count, bool gray)
    {
        var planes = new byte[3 * count];
        if (gray)
        {
            for (var c = 0; c < 3; c++) pixels.AsSpan(0, count).CopyTo(planes.AsSpan(c * count, count));
            return planes;
        }
        for (var p = 0; p < count; p++)
        {
            planes[p] = pixels[4 * p];
            planes[count + p] = pixels[4 * p + 1];
            planes[2 * count + p] = pixels[4 * p + 2];
        }
        return planes;
    }

    /// <summary>Decodes a file, or returns the reason it cannot be decoded.</summary>
    public static (Tensor? Frame, string? Problem) TryRead(string path)
    {
        if (!File.Exists(path)) return (null, Directory.Exists(path) ? "is a folder, not an image file" : "missing");
        try
        {
            return (Decode(File.ReadAllBytes(path)), null);
        }
        catch (InvalidDataException e)
        {
            return (null, e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, $"cannot be read ({e.Message})");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return (null, $"cannot be decoded ({e.GetType().Name}: {e.Message})");
        }
    }
}
