using SkiaSharp;
using static TorchSharp.torch;

namespace SignTranslate.Data.FrameCache;

/// <summary>Encodes decoded video frames as JPEG with SkiaSharp, the codec <see cref="FrameDecoder"/> reads them back with.</summary>
public static class JpegFrames
{
    /// <param name="clip">uint8 (n, 3, H, W) RGB.</param>
    /// <param name="quality">1..100.</param>
    public static byte[][] Encode(Tensor clip, int quality)
    {
        var n = (int)clip.shape[0];
        var height = (int)clip.shape[2];
        var width = (int)clip.shape[3];
        using var scope = NewDisposeScope();
        // RGBA with opaque alpha, the 8-bit layout Skia encodes from directly.
        var rgba = cat([clip.permute(0, 2, 3, 1), full(new long[] { n, height, width, 1 }, 255, dtype: ScalarType.Byte)], 3).contiguous();
        var bytes = rgba.data<byte>().ToArray();
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        var frameBytes = 4 * width * height;
        var encoded = new byte[n][];
        for (var i = 0; i < n; i++)
        {
            using var image = SKImage.FromPixelCopy(info, bytes.AsSpan(i * frameBytes, frameBytes), 4 * width)
                              ?? throw new InvalidOperationException("Skia could not wrap the frame");
            using var data = image.Encode(SKEncodedImageFormat.Jpeg, quality)
                             ?? throw new InvalidOperationException("Skia could not encode the frame as JPEG");
            encoded[i] = data.ToArray();
        }
        return encoded;
    }
}
