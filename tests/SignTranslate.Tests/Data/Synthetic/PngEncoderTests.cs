using SignTranslate.Data.Synthetic;
using SignTranslate.Randomness;
using TorchSharp;

namespace SignTranslate.Tests.Data.Synthetic;

public class PngEncoderTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void SkiaDecodesTheEncodedFrameToTheSamePixels(bool compress)
    {
        const int width = 7, height = 5;
        var random = new SplitMix64(3);
        var chw = Enumerable.Range(0, 3 * width * height).Select(_ => (byte)random.NextInt(0, 255)).ToArray();
        var png = PngEncoder.EncodePlanarRgb(chw, width, height, compress);

        torchvision.io.DefaultImager = new torchvision.io.SkiaImager(95);
        using var scope = torch.NewDisposeScope();
        using var stream = new MemoryStream(png);
        var decoded = torchvision.io.read_image(stream, torchvision.io.ImageReadMode.RGB);
        Assert.Equal([3L, height, width], decoded.shape);
        Assert.Equal(chw, decoded.contiguous().data<byte>().ToArray());
    }

    [Fact]
    public void ChunksHaveTheCrcOfThePngSpecification()
    {
        var png = PngEncoder.EncodePlanarRgb(new byte[3 * 4], 2, 2);
        Assert.Equal([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], png[..8]);
        // IEND with no data always ends with the CRC AE 42 60 82.
        Assert.Equal([0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82], png[^8..]);
    }
}
