using SignTranslate.Data;
using static TorchSharp.torch;

namespace SignTranslate.Tests.Data;

public sealed class CollationTests
{
    [Theory]
    [InlineData(86, 104, 23)]
    [InlineData(1, 20, 2)]
    [InlineData(4, 20, 2)]
    [InlineData(5, 24, 3)]
    [InlineData(300, 316, 76)]
    public void ReferencePaddingGivesSpecLengths(int frames, int padded, int afterConv)
    {
        Assert.Equal(padded, VideoLengths.Padded(frames, PaddingScheme.Reference));
        Assert.Equal(afterConv, VideoLengths.AfterTemporalConv(padded));
        // docs/reference.md#s2.3: T' = ⌈n/4⌉ + 1 exactly under the reference scheme.
        Assert.Equal((frames + 3) / 4 + 1, afterConv);
    }

    [Fact]
    public void CollatesReplicatedEdgesLengthsAndMasks()
    {
        using var scope = NewDisposeScope();
        // Frame k of video v is filled with 100·v + k, so every replicated frame is identifiable.
        Tensor Video(int v, int n) => (arange(n, dtype: ScalarType.Float32) + 100 * v).view(n, 1, 1, 1).expand(n, 3, 2, 2).contiguous();

        var batch = VideoCollator.Collate([Video(1, 86), Video(2, 5)], PaddingScheme.Reference);

        Assert.Equal([86, 5], batch.FrameCounts);
        Assert.Equal([104, 24], batch.PaddedLengths);
        Assert.Equal([104L, 24], batch.Lengths.data<long>().ToArray());
        Assert.Equal([23, 3], batch.ConvLengths);
        Assert.Equal(8, batch.LeadingPadding);
        Assert.Equal([128L, 3, 2, 2], batch.Frames!.shape);
        var firstPixel = batch.Frames[.., 0, 0, 0].data<float>().ToArray();
        float[] expectedFirst = [.. Enumerable.Repeat(100f, 8), .. Enumerable.Range(0, 86).Select(k => 100f + k), .. Enumerable.Repeat(185f, 10)];
        Assert.Equal(expectedFirst, firstPixel[..104]);
        float[] expectedSecond = [.. Enumerable.Repeat(200f, 8), 200, 201, 202, 203, 204, .. Enumerable.Repeat(204f, 11)];
        Assert.Equal(expectedSecond, firstPixel[104..]);

        Assert.Equal([2L, 23], batch.AttentionMask.shape);
        Assert.Equal(ScalarType.Int64, batch.AttentionMask.dtype);
        var mask = batch.AttentionMask.data<long>().ToArray();
        Assert.Equal(23, mask[..23].Sum());
        Assert.Equal([1L, 1, 1, .. Enumerable.Repeat(0L, 20)], mask[23..]);
    }

    [Fact]
    public void NoPaddingSchemeKeepsFramesAsTheyAre()
    {
        using var scope = NewDisposeScope();
        var batch = VideoCollator.Collate([zeros(40, 3, 2, 2), ones(12, 3, 2, 2)], PaddingScheme.None);
        Assert.Equal([40, 12], batch.PaddedLengths);
        Assert.Equal(0, batch.LeadingPadding);
        Assert.Equal([52L, 3, 2, 2], batch.Frames!.shape);
        Assert.Equal([(int)((40 - 4) / 2 - 4) / 2, 0], batch.ConvLengths);
        Assert.Equal(batch.ConvLengths.Sum(), batch.AttentionMask.sum().item<long>());
    }
}

public sealed class TextNoiseTests
{
    [Fact]
    public void OmitLastMasksTheTailAndAtLeastOneWord()
    {
        var options = new MaskedTextOptions();
        const string text = "und nun die wettervorhersage für morgen donnerstag den zwölften august";
        var rng = new Random(7);
        for (var trial = 0; trial < 200; trial++)
        {
            var words = TextNoise.Apply(text, options, rng).Split(' ');
            Assert.Equal(10, words.Length);
            var masked = words.Count(w => w == TextNoise.Mask);
            // k = ⌈10·u⌉ with u < 0.15 → 1 or 2 (0 only if u is exactly 0).
            Assert.InRange(masked, 1, 2);
            Assert.Equal(text.Split(' ')[..(10 - masked)], words[..(10 - masked)]);
            Assert.All(words[(10 - masked)..], w => Assert.Equal(TextNoise.Mask, w));
        }
    }

    [Fact]
    public void ShuffleKeepsTheWordsAndUnsegmentedTextBecomesOneMask()
    {
        var options = new MaskedTextOptions { RandomShuffle = true, NoiseType = TextNoiseType.Omit };
        const string text = "a b c d e f g h i j k l m n o p q r s t";
        var rng = new Random(3);
        var shuffledSeen = false;
        for (var trial = 0; trial < 50; trial++)
        {
            var noisy = TextNoise.Apply(text, options, rng).Split(' ');
            Assert.Equal(20, noisy.Length);
            Assert.Subset(text.Split(' ').Append(TextNoise.Mask).ToHashSet(), noisy.ToHashSet());
            shuffledSeen |= noisy.Where(w => w != TextNoise.Mask).SequenceEqual(noisy.Where(w => w != TextNoise.Mask).Order()) is false;
        }
        Assert.True(shuffledSeen);
        Assert.Equal(TextNoise.Mask, TextNoise.Apply("我的钢琴老师很好", new MaskedTextOptions(), new Random(1)));
    }
}

public sealed class BatchPlanTests
{
    [Fact]
    public void ShuffledOrderIsAPermutationThatDependsOnSeedAndEpoch()
    {
        var a = BatchPlan.Batches(10, 3, shuffle: true, seed: 5, epoch: 0, dropLast: false);
        Assert.Equal(Enumerable.Range(0, 10), a.SelectMany(b => b).Order());
        Assert.Equal([3, 3, 3, 1], a.Select(b => b.Length));
        Assert.Equal(a.SelectMany(b => b), BatchPlan.Batches(10, 3, true, 5, 0, false).SelectMany(b => b));
        Assert.NotEqual(a.SelectMany(b => b), BatchPlan.Batches(10, 3, true, 5, 1, false).SelectMany(b => b));
        Assert.Equal(3, BatchPlan.Batches(10, 3, true, 5, 0, dropLast: true).Count);
        Assert.Equal(Enumerable.Range(0, 10), BatchPlan.Batches(10, 4, false, 5, 0, false).SelectMany(b => b));
        Assert.NotEqual(BatchPlan.Seed(1, 0, 0), BatchPlan.Seed(1, 0, 1));
        Assert.Equal(BatchPlan.Seed(1, 2, 3), BatchPlan.Seed(1, 2, 3));
    }
}
