using SignTranslate.Data.Video;
using static TorchSharp.torch;

namespace SignTranslate.Tests.Data.Video;

public sealed class VideoFileDecoderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("slt-video-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Clip(string name = "clip.mp4", int frames = 50) => TestVideos.Write(Path.Combine(_folder, name), frames);

    private static double MeanRed(Tensor frames, int k) => frames[k, 0].to_type(ScalarType.Float64).mean().item<double>();

    [Fact]
    public void ProbeReportsSizeRateAndDuration()
    {
        var info = VideoInfo.Probe(Clip());

        Assert.Equal((32, 24), (info.Width, info.Height));
        Assert.Equal(25, info.FramesPerSecond, 6);
        Assert.Equal(2.0, info.DurationSeconds, 1);
    }

    [Fact]
    public void DecodesEveryStoredFrameInOrderAtTheRequestedSize()
    {
        using var frames = VideoFileDecoder.Decode(Clip(), ClipTimes.Whole, new VideoDecoding(0, 16, 12));

        Assert.Equal(new long[] { 50, 3, 12, 16 }, frames.shape);
        Assert.Equal(ScalarType.Byte, frames.dtype);
        // Lossy coding moves solid colours by a few levels at most.
        foreach (var k in new[] { 0, 17, 49 })
        {
            var (r, g, b) = TestVideos.Colour(k);
            Assert.InRange(MeanRed(frames, k), r - 4, r + 4);
            Assert.InRange(frames[k, 1].to_type(ScalarType.Float64).mean().item<double>(), g - 4, g + 4);
            Assert.InRange(frames[k, 2].to_type(ScalarType.Float64).mean().item<double>(), b - 4, b + 4);
        }
    }

    [Fact]
    public void AClipIsCutByTimeAndResampledToTheFrameRate()
    {
        // [0.4 s, 1.2 s) of a 25 fps video at 10 fps: 8 frames. FFmpeg's fps filter gives output frame k the last
        // stored frame whose time, counted from the clip's start, rounds to k/10 s: the last j with j/25 < (k + 0.5)/10.
        using var frames = VideoFileDecoder.Decode(Clip(), new ClipTimes(0.4, 1.2), new VideoDecoding(10, 32, 24));

        Assert.Equal(8, frames.shape[0]);
        for (var k = 0; k < 8; k++)
        {
            var stored = 10 + (int)Math.Ceiling(2.5 * (k + 0.5)) - 1;
            Assert.InRange(MeanRed(frames, k), TestVideos.Colour(stored).R - 4, TestVideos.Colour(stored).R + 4);
        }
    }

    [Fact]
    public void ATruncatedFileIsNamedAsSuch()
    {
        var truncated = TestVideos.WriteTruncated(Clip(), Path.Combine(_folder, "cut.mp4"));

        var error = Assert.Throws<VideoFileException>(() => VideoFileDecoder.Decode(truncated, ClipTimes.Whole, new VideoDecoding(0, 32, 24)));

        Assert.Equal(truncated, error.Path);
        Assert.StartsWith($"{truncated}: not a readable video (truncated or corrupt?): moov atom not found", error.Message);
    }

    [Fact]
    public void AFileWithoutAVideoStreamSaysWhatItHas()
    {
        var audio = TestVideos.WriteAudioOnly(Path.Combine(_folder, "tone.mp4"));

        var error = Assert.Throws<VideoFileException>(() => VideoFileDecoder.Decode(audio, ClipTimes.Whole, new VideoDecoding(0, 32, 24)));

        Assert.Equal($"{audio}: has no video stream (only audio)", error.Message);
    }

    [Fact]
    public void AClipStartingAfterTheEndIsRefused()
    {
        var clip = Clip();

        var error = Assert.Throws<VideoFileException>(() => VideoFileDecoder.Decode(clip, new ClipTimes(3.5, 4), new VideoDecoding(0, 32, 24)));

        Assert.Equal($"{clip}: clip [3.5, 4] s starts at or after the end of the video (2 s)", error.Message);
    }

    [Theory]
    [InlineData(1.0, 0.5)]
    [InlineData(-1.0, null)]
    public void AnEmptyOrNegativeClipIsRefused(double start, double? end)
    {
        var clip = Clip();

        var error = Assert.Throws<VideoFileException>(() => VideoFileDecoder.Decode(clip, new ClipTimes(start, end), new VideoDecoding(0, 32, 24)));

        Assert.Contains("is empty or negative", error.Message);
    }

    [Fact]
    public void AMissingFileIsNamed()
    {
        var missing = Path.Combine(_folder, "nothing.mp4");

        var error = Assert.Throws<VideoFileException>(() => VideoFileDecoder.Decode(missing, ClipTimes.Whole, new VideoDecoding(0, 32, 24)));

        Assert.Equal($"{missing}: video file not found", error.Message);
    }

    [Fact]
    public void EncodingTheSameFramesTwiceGivesTheSameBytes()
    {
        var a = Clip("a.mp4");
        var b = Clip("b.mp4");

        Assert.Equal(File.ReadAllBytes(a), File.ReadAllBytes(b));
    }
}
