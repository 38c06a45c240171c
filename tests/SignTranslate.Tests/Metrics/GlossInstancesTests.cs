using SignTranslate.Data;
using SignTranslate.Metrics;
using TorchSharp;
using static TorchSharp.torch;

namespace SignTranslate.Tests.Metrics;

/// <summary>Frame-level features plus gloss spans → one instance feature per gloss occurrence.</summary>
public class GlossInstancesTests
{
    // Frame t has the feature (t, 10·t), so every extracted value names the frames it came from.
    private static Tensor FrameFeatures(int frames) =>
        torch.stack([torch.arange(frames, dtype: ScalarType.Float32), torch.arange(frames, dtype: ScalarType.Float32) * 10], 1);

    private static readonly GlossSpan[] Spans = [new("HELLO", 0, 3), new("WORLD", 3, 7), new("HELLO", 7, 8)];

    [Fact]
    public void CentreFrameIsTheLowerMiddleOfTheSpan()
    {
        using var frames = FrameFeatures(8);

        using var instances = GlossInstances.Extract("video-1", frames, Spans, new SignDensityOptions { Instances = GlossInstanceMode.Center });

        Assert.Equal([3L, 2L], instances.shape);
        Assert.Equal(ScalarType.Float64, instances.dtype);
        Assert.Equal([1.0, 10, 4, 40, 7, 70], instances.data<double>().ToArray());
    }

    [Fact]
    public void MeanAveragesEveryFrameOfTheSpan()
    {
        using var frames = FrameFeatures(8);

        using var instances = GlossInstances.Extract("video-1", frames, Spans, new SignDensityOptions { Instances = GlossInstanceMode.Mean });

        Assert.Equal([1.0, 10, 4.5, 45, 7, 70], instances.data<double>().ToArray());
    }

    [Fact]
    public void FrameStrideMapsSpansOntoDownsampledSteps()
    {
        // 8 frames at stride 4 → 2 steps holding (0, 0) and (1, 10). WORLD [3, 7) covers steps 0..1; its centre frame 4 is step 1.
        using var steps = FrameFeatures(2);

        using var centre = GlossInstances.Extract("v", steps, Spans, new SignDensityOptions { FrameStride = 4 });
        using var mean = GlossInstances.Extract("v", steps, Spans, new SignDensityOptions { FrameStride = 4, Instances = GlossInstanceMode.Mean });

        Assert.Equal([0.0, 0, 1, 10, 1, 10], centre.data<double>().ToArray());
        Assert.Equal([0.0, 0, 0.5, 5, 1, 10], mean.data<double>().ToArray());
    }

    [Fact]
    public void CollectorStacksVideosInOrder()
    {
        using var first = FrameFeatures(8);
        using var second = FrameFeatures(4) + 100;
        using var collector = new GlossInstances(new SignDensityOptions());

        collector.Add("first", first, Spans);
        collector.Add("second", second, [new GlossSpan("WORLD", 1, 4)]);
        collector.Add("no glosses", second, []);
        using var features = collector.Features();

        Assert.Equal(4, collector.Count);
        Assert.Equal(["HELLO", "WORLD", "HELLO", "WORLD"], collector.Glosses);
        Assert.Equal([4L, 2L], features.shape);
        Assert.Equal([102.0, 120], features[3].data<double>().ToArray());
    }

    [Theory]
    [InlineData(5, 5, "video-9: gloss 'X' has the empty or negative frame span [5, 5)")]
    [InlineData(-1, 2, "video-9: gloss 'X' has the empty or negative frame span [-1, 2)")]
    [InlineData(8, 9, "video-9: gloss 'X' starts at frame 8, after the 8 feature steps of the video (frame stride 1)")]
    public void BadSpansAreInputErrorsNamingTheVideo(int start, int end, string message)
    {
        using var frames = FrameFeatures(8);

        var error = Assert.Throws<InputException>(() => GlossInstances.Extract("video-9", frames, [new GlossSpan("X", start, end)], new SignDensityOptions()));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void ExtractedInstancesFeedTheDensityRatio()
    {
        // Two glosses whose frames sit in two far-apart regions of the feature space.
        using var frames = torch.cat([torch.zeros(4, 3), torch.full(4, 3, 50.0f)], 0) + torch.arange(8, dtype: ScalarType.Float32).unsqueeze(1) * 0.1;
        var options = new SignDensityOptions { Instances = GlossInstanceMode.Mean, MinInstancesPerGloss = 3 };
        using var collector = new GlossInstances(options);
        collector.Add("a", frames, [new("LOW", 0, 1), new("LOW", 1, 2), new("LOW", 2, 4), new("HIGH", 4, 6), new("HIGH", 6, 7), new("HIGH", 7, 8), new("ONCE", 3, 5)]);

        var result = SignDensityRatio.Compute(collector, options);

        Assert.Equal((2, 6, 1), (result.Glosses, result.Instances, result.SkippedGlosses));
        Assert.InRange(result.Sdr, 0, 1);
    }
}
