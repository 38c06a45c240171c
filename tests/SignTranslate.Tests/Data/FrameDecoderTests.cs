using SignTranslate.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace SignTranslate.Tests.Data;

/// <summary>Frames decode to TorchVision's pixels, and only when the whole file is there.</summary>
public sealed class FrameDecoderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("slt-frames-").FullName;
    private static readonly torchvision.io.SkiaImager Imager = new(95);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>A real encoded image of random pixels (gray: one channel).</summary>
    internal static byte[] Encode(torchvision.ImageFormat format, int channels = 3, int height = 24, int width = 20)
    {
        var pixels = new byte[channels * height * width];
        new Random(3).NextBytes(pixels);
        using var image = tensor(pixels, channels, height, width);
        return Imager.EncodeImage(image, format);
    }

    [Theory]
    [InlineData("png", 3)]
    [InlineData("png", 1)]
    [InlineData("jpeg", 3)]
    public void DecodesToTheSamePixelsAsTorchVision(string format, int channels)
    {
        var bytes = Encode(format == "png" ? torchvision.ImageFormat.Png : torchvision.ImageFormat.Jpeg, channels);
        using var expected = Imager.DecodeImage(bytes, torchvision.io.ImageReadMode.RGB);
        using var frame = FrameDecoder.Decode(bytes);
        Assert.Equal(new long[] { 3, 24, 20 }, frame.shape);
        Assert.Equal(ScalarType.Byte, frame.dtype);
        Assert.Equal(expected.contiguous().data<byte>().ToArray(), frame.data<byte>().ToArray());
    }

    [Theory]
    [InlineData("png")]
    [InlineData("jpeg")]
    public void AFileCutInHalfIsNotAFrame(string format)
    {
        var bytes = Encode(format == "png" ? torchvision.ImageFormat.Png : torchvision.ImageFormat.Jpeg);
        var path = Path.Combine(_folder, $"frame.{format}");
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        // What TorchVision's imager does with it: a whole image, the missing part blank.
        using (var partial = Imager.DecodeImage(bytes[..(bytes.Length / 2)], torchvision.io.ImageReadMode.RGB))
            Assert.Equal(new long[] { 3, 24, 20 }, partial.shape);

        var (frame, problem) = FrameDecoder.TryRead(path);

        Assert.Null(frame);
        Assert.StartsWith("truncated", problem);
    }

    [Fact]
    public void APngCutInsideItsLastChunkIsNotAFrame()
    {
        // Skia has every pixel by then and reports success; the missing IEND chunk still marks the file as cut.
        var bytes = Encode(torchvision.ImageFormat.Png);
        var path = Path.Combine(_folder, "frame.png");
        File.WriteAllBytes(path, bytes[..^6]);

        var (frame, problem) = FrameDecoder.TryRead(path);

        Assert.Null(frame);
        Assert.Equal("truncated: the PNG ends before its IEND chunk", problem);
    }

    [Fact]
    public void TrainingDataLoadingRejectsATruncatedFrame()
    {
        var bytes = Encode(torchvision.ImageFormat.Png);
        Directory.CreateDirectory(Path.Combine(_folder, "v"));
        File.WriteAllBytes(Path.Combine(_folder, "v", "images0001.png"), bytes);
        File.WriteAllBytes(Path.Combine(_folder, "v", "images0002.png"), bytes[..(bytes.Length / 2)]);
        var frames = new FrameOptions { ResizeHeight = 24, ResizeWidth = 20, CropHeight = 24, CropWidth = 20 };
        var loader = new VideoLoader(_folder, frames, new AugmentationOptions { Enabled = false });
        var sample = new SignSample { Id = "v", Text = "t", FrameCount = 2, FramePaths = ["v/images0001.png", "v/images0002.png"] };

        var error = Assert.Throws<FrameReadException>(() => loader.Load(sample, training: true, new Random(0)));

        Assert.EndsWith("images0002.png", error.Path);
        Assert.Contains("truncated", error.Message);
    }
}
