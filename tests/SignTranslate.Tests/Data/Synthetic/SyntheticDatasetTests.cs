using SignTranslate.Data;
using SignTranslate.Data.Synthetic;
using TorchSharp;

namespace SignTranslate.Tests.Data.Synthetic;

public class SyntheticDatasetTests
{
    internal static readonly SyntheticOptions Tiny = new()
    {
        Seed = 5, TrainSamples = 12, DevSamples = 4, TestSamples = 3, FrameWidth = 24, FrameHeight = 20, DistinctSentences = 30,
    };

    [Fact]
    public void SplitsHaveTheConfiguredSizesAndUniqueNames()
    {
        var dataset = SyntheticDataset.Create(Tiny);
        Assert.Equal(["train", "dev", "test"], dataset.Splits);
        Assert.Equal(12, dataset.Samples("train").Count);
        Assert.Equal(4, dataset.Samples("dev").Count);
        Assert.Equal(3, dataset.Samples("test").Count);
        var all = dataset.Splits.SelectMany(s => dataset.Samples(s).Select(x => (s, x.Id))).ToList();
        Assert.Equal(all.Count, all.Select(x => x.Id).Distinct().Count());
        Assert.All(all, x => Assert.StartsWith(x.s + "/", x.Id));
        Assert.Empty(SyntheticDataset.Create(Tiny with { DevSamples = 0 }).Samples("dev"));
    }

    [Fact]
    public void DefaultDatasetHasAtLeastAThousandTrainingVideosOfShortSentences()
    {
        var dataset = SyntheticDataset.Create(new SyntheticOptions());
        var train = dataset.Samples("train");
        Assert.True(train.Count >= 1000);
        Assert.InRange(dataset.Samples("dev").Count, 100, 200);
        Assert.InRange(dataset.Samples("test").Count, 100, 200);
        Assert.InRange(train.Average(s => s.FrameCount), 30, 70);
    }

    [Fact]
    public void GlossSpansAreOrderedDisjointInsideTheVideoAndFollowTheGlosses()
    {
        var options = Tiny with { TrainSamples = 60 };
        var dataset = SyntheticDataset.Create(options);
        foreach (var split in dataset.Splits)
        {
            foreach (var sample in dataset.Samples(split))
            {
                var spans = sample.GlossSpans!;
                Assert.Equal(sample.Gloss, string.Join(' ', spans.Select(s => s.Gloss)));
                Assert.True(spans[0].Start >= 1, "hands rise from rest before the first sign");
                Assert.True(spans[^1].End <= sample.FrameCount - 1, "hands sink to rest after the last sign");
                foreach (var span in spans)
                    Assert.InRange(span.End - span.Start, options.MinSignFrames, options.MaxSignFrames);
                for (var i = 1; i < spans.Count; i++)
                    Assert.InRange(spans[i].Start - spans[i - 1].End, options.MinTransitionFrames, options.MaxTransitionFrames);
                Assert.Equal(sample.FrameCount, sample.FramePaths.Count);
                Assert.Equal($"{sample.Id}/images0001.png", sample.FramePaths[0]);
                Assert.Equal($"{sample.Id}/images{sample.FrameCount:D4}.png", sample.FramePaths[^1]);
            }
        }
    }

    [Fact]
    public void SameSeedGivesTheSameSamplesAndPixelsAndAnotherSeedDoesNot()
    {
        var first = SyntheticDataset.Create(Tiny);
        var second = SyntheticDataset.Create(Tiny);
        Assert.Equal(first.Samples("train").Select(Describe), second.Samples("train").Select(Describe));
        Assert.Equal(first.RenderFrames("train", 7), second.RenderFrames("train", 7));

        var other = SyntheticDataset.Create(Tiny with { Seed = 6 });
        Assert.NotEqual(first.Samples("train").Select(Describe), other.Samples("train").Select(Describe));
    }

    [Fact]
    public void RenderingIsRandomAccessAndIndependentOfOtherSamples()
    {
        var dataset = SyntheticDataset.Create(Tiny);
        var direct = dataset.RenderFrames("dev", 2);
        _ = dataset.RenderFrames("dev", 1);
        Assert.Equal(direct, dataset.RenderFrames("dev", 2));
        Assert.NotEqual(direct, dataset.RenderFrames("test", 2));
        // Sample plans do not depend on how many samples a split has.
        var bigger = SyntheticDataset.Create(Tiny with { DevSamples = 9 });
        Assert.Equal(Describe(dataset.Samples("dev")[2]), Describe(bigger.Samples("dev")[2]));
    }

    [Fact]
    public void TensorHasVideoLayoutAndTheSignsHandColourShowsDuringItsSpan()
    {
        var options = Tiny with { PixelNoise = 0, FrameWidth = 48, FrameHeight = 48 };
        var dataset = SyntheticDataset.Create(options);
        var sample = dataset.Samples("train")[0];
        using var scope = torch.NewDisposeScope();
        var video = dataset.RenderTensor("train", 0);
        Assert.Equal(torch.ScalarType.Byte, video.dtype);
        Assert.Equal([sample.FrameCount, 3L, 48, 48], video.shape);

        foreach (var span in sample.GlossSpans!)
        {
            var colour = SignAppearance.HandColours[dataset.Lexicon[span.Gloss].DominantColour];
            var middle = video[(span.Start + span.End) / 2];
            var pixels = CountColour(middle, colour);
            Assert.True(pixels >= 3, $"{span.Gloss}: only {pixels} pixels of its hand colour in its middle frame");
        }
        // Frames change over time (hands move): no two consecutive sign frames of a moving video are all equal.
        var changes = Enumerable.Range(1, sample.FrameCount - 1).Count(t => !video[t].eq(video[t - 1]).all().item<bool>());
        Assert.True(changes > sample.FrameCount / 2, $"only {changes} of {sample.FrameCount - 1} frames differ from the previous one");
    }

    [Fact]
    public void InvalidOptionsAreReportedByName()
    {
        var problems = (Tiny with { FrameWidth = 2, MinSignFrames = 9, MaxSignFrames = 3 }).Validate().Select(p => p.Key).ToList();
        Assert.Equal(["frame_width", "max_sign_frames"], problems);
        Assert.Empty(Tiny.Validate());
        var error = Assert.Throws<InputException>(() => SyntheticDataset.Create(Tiny with { Signers = 0 }));
        Assert.Equal("synthetic.signers must be >= 1, got 0", error.Message);
    }

    private static long CountColour(torch.Tensor frame, (byte R, byte G, byte B) colour)
    {
        var target = torch.tensor(new[] { colour.R, colour.G, colour.B }).reshape(3, 1, 1);
        return frame.eq(target).all(0).sum().item<long>();
    }

    internal static string Describe(SignSample s) =>
        $"{s.Id}|{s.Gloss}|{s.Text}|{s.FrameCount}|{string.Join(',', s.GlossSpans!.Select(x => $"{x.Gloss}:{x.Start}-{x.End}"))}";
}
