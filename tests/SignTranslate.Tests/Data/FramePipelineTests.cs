using SignTranslate.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace SignTranslate.Tests.Data;

public sealed class FramePipelineTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("slt-frames-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static readonly FrameOptions Tiny = new() { ResizeHeight = 20, ResizeWidth = 16, CropHeight = 16, CropWidth = 12, MaxFrames = 6 };

    [Fact]
    public void TemporalCapKeepsShortVideosAndSamplesLongOnes()
    {
        Assert.Equal([0, 1, 2, 3], TemporalSampler.Indices(4, 6, random: true, new Random(1)));
        Assert.Equal([1, 4, 7, 10, 13, 16], TemporalSampler.Indices(18, 6, random: false, new Random(1)));
        var rng = new Random(2);
        for (var trial = 0; trial < 20; trial++)
        {
            var picked = TemporalSampler.Indices(475, 300, random: true, rng);
            Assert.Equal(300, picked.Length);
            Assert.Equal(300, picked.Distinct().Count());
            Assert.Equal(picked.Order(), picked);
            Assert.InRange(picked[^1], 299, 474);
        }
    }

    [Fact]
    public void EvaluationTransformResizesCentreCropsAndNormalises()
    {
        using var scope = NewDisposeScope();
        var clip = full(new long[] { 2, 3, 26, 21 }, 128, dtype: ScalarType.Byte);
        var transform = new ClipTransform(Tiny, new AugmentationOptions());

        var output = transform.Apply(clip, training: false, new Random(0));

        Assert.Equal([2L, 3, 16, 12], output.shape);
        Assert.Equal(ScalarType.Float32, output.dtype);
        // A constant image stays constant through resize; then (128/255 − mean)/std per channel.
        double[] mean = [0.485, 0.456, 0.406], std = [0.229, 0.224, 0.225];
        for (var c = 0; c < 3; c++)
        {
            var expected = (128 / 255.0 - mean[c]) / std[c];
            Assert.True(output[.., c].sub(expected).abs().max().item<float>() < 1e-5);
        }
    }

    [Fact]
    public void CentreCropTakesTheMiddleAndTranslationShiftsWithBlackFill()
    {
        using var scope = NewDisposeScope();
        var options = new FrameOptions { ResizeHeight = 8, ResizeWidth = 8, CropHeight = 4, CropWidth = 4, Mean = [0, 0, 0], Std = [1, 1, 1] };
        var transform = new ClipTransform(options, new AugmentationOptions());
        // Already at the resize size, so resize is the identity and pixel values are exact.
        var clip = (arange(64, dtype: ScalarType.Float32).view(1, 1, 8, 8).expand(1, 3, 8, 8) * 3).to_type(ScalarType.Byte);

        var centred = transform.Apply(clip, ClipAugmentation.None, top: 2, left: 2) * 255;
        Assert.Equal(3 * (2 * 8 + 2), centred[0, 0, 0, 0].item<float>(), 3);
        Assert.Equal(3 * (5 * 8 + 5), centred[0, 0, 3, 3].item<float>(), 3);

        var shifted = transform.Apply(clip, new ClipAugmentation(null, null, (2, 1)), top: 0, left: 0) * 255;
        Assert.Equal(0f, shifted[0, 0, 0, 3].item<float>());      // row 0 filled with black
        Assert.Equal(0f, shifted[0, 0, 1, 1].item<float>());      // columns 0..1 filled with black
        Assert.Equal(0f, shifted[0, 0, 1, 2].item<float>(), 3);   // source (0, 0)
        Assert.Equal(3 * (1 * 8 + 1), shifted[0, 0, 2, 3].item<float>(), 3);
    }

    [Fact]
    public void AugmentationIsClipConsistentAndSeeded()
    {
        using var scope = NewDisposeScope();
        var options = new AugmentationOptions { RotateProbability = 1, RescaleProbability = 1, TranslateProbability = 1 };
        var drawn = ClipAugmentation.Draw(options, new Random(11));
        Assert.InRange(drawn.RotationDegrees!.Value, -30, 30);
        Assert.InRange(drawn.Rescale!.Value, 0.8, 1.2);
        Assert.InRange(drawn.Translation!.Value.Dx, -10, 10);
        Assert.Equal(drawn, ClipAugmentation.Draw(options, new Random(11)));
        Assert.Equal(ClipAugmentation.None, ClipAugmentation.Draw(new AugmentationOptions { RotateProbability = 0, RescaleProbability = 0, TranslateProbability = 0 }, new Random(1)));

        var frame = randint(0, 255, new long[] { 1, 3, 26, 21 }, dtype: ScalarType.Byte);
        var clip = cat([frame, frame, frame], 0);
        var transform = new ClipTransform(Tiny, options);
        var output = transform.Apply(clip, training: true, new Random(5));
        // Same parameters for every frame: identical frames stay identical.
        Assert.True(output[0].allclose(output[2]));
        Assert.True(output.allclose(transform.Apply(clip, training: true, new Random(5))));
        Assert.False(output.allclose(transform.Apply(clip, training: false, new Random(5))));
    }

    [Fact]
    public void LoaderDecodesPngFramesAndCapsTheirNumber()
    {
        using var scope = NewDisposeScope();
        var sample = WriteVideo("train/v1", frames: 9, height: 26, width: 21);
        var loader = new VideoLoader(_folder, Tiny, new AugmentationOptions());

        var eval = loader.Load(sample, training: false, new Random(0));
        var train = loader.Load(sample, training: true, new Random(0));

        Assert.Equal([6L, 3, 16, 12], eval.shape);
        Assert.Equal([6L, 3, 16, 12], train.shape);
        // Frame k was written with value 20·k; uniform stride over 9 frames keeps 0, 2, 3, 5, 6, 8.
        var red = eval[.., 0, 8, 6].data<float>().Select(v => (int)Math.Round((v * 0.229 + 0.485) * 255)).ToArray();
        Assert.Equal([0, 40, 60, 100, 120, 160], red);
    }

    [Fact]
    public void LoaderNamesTheSampleAndFileOfAMissingOrCorruptFrame()
    {
        var sample = WriteVideo("dev/v2", frames: 3, height: 8, width: 8);
        File.WriteAllText(Path.Combine(_folder, sample.FramePaths[1]), "not a png");
        var loader = new VideoLoader(_folder, Tiny with { ResizeHeight = 8, ResizeWidth = 8, CropHeight = 8, CropWidth = 8 }, new AugmentationOptions());
        var corrupt = Assert.Throws<FrameReadException>(() => loader.Load(sample, false, new Random(0)));
        Assert.Equal("dev/v2", corrupt.SampleId);
        Assert.EndsWith("images0002.png", corrupt.Path);

        File.Delete(Path.Combine(_folder, sample.FramePaths[1]));
        var missing = Assert.Throws<FrameReadException>(() => loader.Load(sample, false, new Random(0)));
        Assert.Contains("missing", missing.Message);
    }

    /// <summary>Writes PNG frames whose pixels all equal 20·k for frame k.</summary>
    internal SignSample WriteVideo(string id, int frames, int height, int width)
    {
        var paths = new List<string>();
        var imager = new torchvision.io.SkiaImager();
        Directory.CreateDirectory(Path.Combine(_folder, id));
        for (var k = 0; k < frames; k++)
        {
            var path = $"{id}/images{k + 1:D4}.png";
            using var image = full(new long[] { 3, height, width }, 20 * k % 256, dtype: ScalarType.Byte);
            File.WriteAllBytes(Path.Combine(_folder, path), imager.EncodeImage(image, torchvision.ImageFormat.Png));
            paths.Add(path);
        }
        return new SignSample { Id = id, Text = "text", FrameCount = frames, FramePaths = paths };
    }
}
