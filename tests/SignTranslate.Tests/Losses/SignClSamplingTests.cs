using SignTranslate.Losses;

namespace SignTranslate.Tests.Losses;

public class SignClSamplingTests
{
    [Theory]
    [InlineData(40, 10, 2, 4)]
    [InlineData(16, 20, 2, 4)]
    [InlineData(12, -2, 1, 8)]
    [InlineData(5, 0, 2, 40)]
    [InlineData(300, 26, 2, 4)]
    public void SeededDrawsFollowTheReferenceRule(int frames, int margin, int positives, int negatives)
    {
        var draw = new SeededSignClSampler(3).Draw(frames, margin, positives, negatives);

        Assert.Equal(frames, draw.Frames);
        Assert.Equal(Enumerable.Range(1, frames - 3), draw.Anchors.Select(a => a.Anchor));
        foreach (var a in draw.Anchors)
        {
            var i = a.Anchor;
            Assert.Equal(Math.Min(2, positives), a.Positives.Count);
            Assert.All(a.Positives, p => Assert.Contains(p, new[] { i - 1, i + 1 }));
            Assert.Equal(a.Positives.Count, a.Positives.Distinct().Count());

            var candidates = Enumerable.Range(2, frames - 4).Count(j => j < i - margin || j > i + margin);
            Assert.Equal(Math.Min(candidates, negatives), a.Negatives.Count);
            Assert.Equal(a.Negatives.Count, a.Negatives.Distinct().Count());
            Assert.All(a.Negatives, j => Assert.True(j >= 2 && j <= frames - 3 && (j < i - margin || j > i + margin), $"anchor {i}: negative {j}"));
        }
    }

    [Fact]
    public void SeededSamplerRepeatsForTheSameSeedAndVariesAcrossSeeds()
    {
        static string Flatten(SequenceDraw d) => string.Join(";", d.Anchors.Select(a => $"{string.Join(",", a.Positives)}|{string.Join(",", a.Negatives)}"));

        var first = Flatten(new SeededSignClSampler(9).Draw(60, 5, 2, 4));
        Assert.Equal(first, Flatten(new SeededSignClSampler(9).Draw(60, 5, 2, 4)));
        Assert.NotEqual(first, Flatten(new SeededSignClSampler(10).Draw(60, 5, 2, 4)));
    }

    [Fact]
    public void RecordedSamplerReplaysInOrderAndRefusesMismatches()
    {
        var a = new SeededSignClSampler(1).Draw(10, 2, 2, 4);
        var b = new SeededSignClSampler(2).Draw(12, 2, 2, 4);
        var sampler = new RecordedSignClSampler([a, b]);

        Assert.Same(a, sampler.Draw(10, 0, 0, 0));
        Assert.Throws<InvalidOperationException>(() => sampler.Draw(10, 2, 2, 4));
        Assert.Throws<InvalidOperationException>(() => sampler.Draw(12, 2, 2, 4));
    }

    [Theory]
    // Values computed with the Python expressions given in docs/reference.md#s6.2.
    [InlineData(SignClMarginRule.TrainingScript, 200, 20, 50)]
    [InlineData(SignClMarginRule.TrainingScript, 120, 12, 45)] // the (T − 30)/2 cap binds
    [InlineData(SignClMarginRule.TrainingScript, 300, 15, 96)]
    [InlineData(SignClMarginRule.TrainingScript, 40, 20, 5)]
    [InlineData(SignClMarginRule.TrainingScript, 31, 5, 0)]
    [InlineData(SignClMarginRule.TrainingScript, 25, 10, -2)] // int(-2.5) truncates toward zero
    [InlineData(SignClMarginRule.Paper, 100, 10, 46)]
    [InlineData(SignClMarginRule.Paper, 50, 10, 23)]
    [InlineData(SignClMarginRule.Paper, 30, 10, 20)]
    [InlineData(SignClMarginRule.ReadmeUsage, 100, 10, 20)]
    [InlineData(SignClMarginRule.ReadmeUsage, 50, 10, 11)]
    [InlineData(SignClMarginRule.ReadmeUsage, 30, 10, 10)]
    [InlineData(SignClMarginRule.ReadmeExample, 50, 10, 20)]
    [InlineData(SignClMarginRule.ReadmeExample, 230, 10, 20)]
    [InlineData(SignClMarginRule.Fixed, 7, 3, 20)]
    public void MarginRulesMatchTheReferenceFormulas(SignClMarginRule rule, int frames, int tokens, int expected)
    {
        Assert.Equal(expected, SignCl.RawMargin(rule, frames, tokens));
    }

    [Fact]
    public void MarginIsClampedToOneUnlessFaithful()
    {
        var corrected = new SignClOptions();
        var faithful = corrected with { ClampMarginToAtLeastOne = false };

        Assert.Equal(1, SignCl.Margin(corrected, 25, 10));
        Assert.Equal(-2, SignCl.Margin(faithful, 25, 10));
        Assert.Equal(50, SignCl.Margin(corrected, 200, 20));
        Assert.Equal(7, SignCl.Margin(corrected with { MarginRule = SignClMarginRule.Fixed, FixedMargin = 7 }, 200, 20));
        Assert.Equal(45, new SignCl(corrected, seed: 0).MarginFor(120, 12));
    }
}
