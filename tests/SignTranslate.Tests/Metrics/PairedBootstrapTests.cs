using System.Diagnostics;
using SignTranslate.Metrics;
using SignTranslate.Text;
using Xunit.Abstractions;

namespace SignTranslate.Tests.Metrics;

/// <summary>
/// Paired bootstrap resampling on SignCL's CSL-Daily test outputs (1,176 char-split lines, 13a) and on hand cases.
/// </summary>
public class PairedBootstrapTests(ITestOutputHelper output)
{
    private static readonly ScoringOptions Options = new();

    private static readonly Lazy<(IReadOnlyList<string> Hypotheses, IReadOnlyList<string> References)> CslDaily = new(() => (
        Utf8LineFile.Read(TestFixtures.DataFile("signcl-csl-daily", "hypotheses.txt")),
        Utf8LineFile.Read(TestFixtures.DataFile("signcl-csl-daily", "references.txt"))));

    /// <summary>The published hypotheses with every fifth line (lines 5, 10, …) emptied.</summary>
    public static IReadOnlyList<string> EveryFifthEmptied(IReadOnlyList<string> lines) =>
        [.. lines.Select((line, index) => (index + 1) % 5 == 0 ? "" : line)];

    /// <summary>Scores hypotheses against the first as many CSL-Daily references.</summary>
    private static IReadOnlyList<SegmentScore> Segments(IReadOnlyList<string> hypotheses) =>
        CorpusScorer.ScoreSegments(hypotheses, CslDaily.Value.References.Take(hypotheses.Count).ToArray(), Options);

    [Fact]
    public void EmptyingEveryFifthHypothesisIsSignificantOnCslDaily()
    {
        var published = Segments(CslDaily.Value.Hypotheses);
        var damaged = Segments(EveryFifthEmptied(CslDaily.Value.Hypotheses));

        var stopwatch = Stopwatch.StartNew();
        var result = PairedBootstrap.Run([published, damaged], Options, 1000, PairedBootstrap.DefaultSeed);
        output.WriteLine($"1000 resamples x 1176 lines x 2 systems: {stopwatch.Elapsed.TotalMilliseconds:F0} ms");

        var pair = Assert.Single(result.Pairs);
        Assert.Equal((0, 1), (pair.A, pair.B));
        Assert.Equal(15.992706086430529, result.Systems[0].Score.Bleu4, 1e-9);
        Assert.True(pair.Bleu4Difference < -2, $"BLEU-4 difference {pair.Bleu4Difference}");
        Assert.True(pair.RougeLDifference < -5, $"ROUGE-L difference {pair.RougeLDifference}");
        // No resample comes near the observed gap, so the p-value is the smallest the test can give: 1/(n+1).
        Assert.Equal(1.0 / 1001, pair.Bleu4PValue, 1e-12);
        Assert.Equal(1.0 / 1001, pair.RougeLPValue, 1e-12);
        Assert.True(result.Systems[1].Bleu4.High < result.Systems[0].Bleu4.Low, "the 95% intervals should not overlap");
    }

    [Fact]
    public void ASystemComparedWithItselfGivesPOne()
    {
        var published = Segments(CslDaily.Value.Hypotheses);

        var result = PairedBootstrap.Run([published, published], Options, 200, 7);

        var pair = Assert.Single(result.Pairs);
        Assert.Equal(0.0, pair.Bleu4Difference);
        Assert.Equal(1.0, pair.Bleu4PValue);
        Assert.Equal(1.0, pair.RougeLPValue);
        Assert.Equal(result.Systems[0].Bleu4, result.Systems[1].Bleu4);
    }

    [Fact]
    public void IntervalsBracketTheCorpusScoreAndShrinkWithMoreLines()
    {
        var published = Segments(CslDaily.Value.Hypotheses);
        var firstTenth = published.Take(published.Count / 10).ToArray();

        var whole = PairedBootstrap.Run([published], Options, 300, 1).Systems[0];
        var tenth = PairedBootstrap.Run([firstTenth], Options, 300, 1).Systems[0];

        Assert.InRange(whole.Score.Bleu4, whole.Bleu4.Low, whole.Bleu4.High);
        Assert.InRange(whole.Score.RougeL, whole.RougeL.Low, whole.RougeL.High);
        Assert.InRange(whole.Bleu4.Mean, whole.Score.Bleu4 - 0.3, whole.Score.Bleu4 + 0.3);
        Assert.InRange(whole.RougeL.Mean, whole.Score.RougeL - 0.3, whole.Score.RougeL + 0.3);
        // The interval half-width falls roughly with 1/sqrt(lines): ten times fewer lines, about three times wider.
        Assert.InRange(tenth.Bleu4.HalfWidth / whole.Bleu4.HalfWidth, 2.0, 4.5);
    }

    [Fact]
    public void SameSeedSameNumbersOtherSeedOtherNumbers()
    {
        var published = Segments(CslDaily.Value.Hypotheses.Take(300).ToArray());
        var damaged = Segments(EveryFifthEmptied(CslDaily.Value.Hypotheses).Take(300).ToArray());

        var first = PairedBootstrap.Run([published, damaged], Options, 100, 42);
        var again = PairedBootstrap.Run([published, damaged], Options, 100, 42);
        var other = PairedBootstrap.Run([published, damaged], Options, 100, 43);

        Assert.Equal(first.Systems.Select(s => (s.Bleu4, s.RougeL)), again.Systems.Select(s => (s.Bleu4, s.RougeL)));
        Assert.Equal(first.Pairs, again.Pairs);
        Assert.NotEqual(first.Systems[0].Bleu4, other.Systems[0].Bleu4);
    }

    [Fact]
    public void PairOrderDoesNotChangeThePValue()
    {
        var published = Segments(CslDaily.Value.Hypotheses.Take(200).ToArray());
        var shortened = Segments(CslDaily.Value.Hypotheses.Take(200).Select(line => line.Length > 8 ? line[..^4] : line).ToArray());

        var forward = Assert.Single(PairedBootstrap.Run([published, shortened], Options, 200, 5).Pairs);
        var backward = Assert.Single(PairedBootstrap.Run([shortened, published], Options, 200, 5).Pairs);

        Assert.Equal(forward.Bleu4PValue, backward.Bleu4PValue);
        Assert.Equal(forward.Bleu4Difference, -backward.Bleu4Difference, 1e-12);
        Assert.InRange(forward.Bleu4PValue, 1.0 / 201, 1.0);
    }

    [Fact]
    public void ThreeSystemsGiveEveryPairInInputOrder()
    {
        var published = Segments(CslDaily.Value.Hypotheses.Take(100).ToArray());
        var result = PairedBootstrap.Run([published, published, published], Options, 50, 3);

        Assert.Equal([(0, 1), (0, 2), (1, 2)], result.Pairs.Select(pair => (pair.A, pair.B)));
        Assert.Equal((50, 3L, 100), (result.Samples, result.Seed, result.Lines));
    }

    [Fact]
    public void OneThousandResamplesOfTheCslDailyTestSetTakeWellUnderASecond()
    {
        var published = Segments(CslDaily.Value.Hypotheses);
        var damaged = Segments(EveryFifthEmptied(CslDaily.Value.Hypotheses));
        PairedBootstrap.Run([published, damaged], Options, 10, 1);   // JIT warm-up

        var stopwatch = Stopwatch.StartNew();
        PairedBootstrap.Run([published, damaged], Options, 1000, 2);
        var milliseconds = stopwatch.Elapsed.TotalMilliseconds;
        output.WriteLine($"1000 resamples x 1176 lines x 2 systems: {milliseconds:F0} ms");

        // Generous for a loaded 2-core CI machine running a Debug build; a per-resample rescoring of the strings
        // instead of summing precomputed statistics would take tens of seconds.
        Assert.True(milliseconds < 3000, $"{milliseconds:F0} ms");
    }

    [Fact]
    public void PValueCountsShiftedDifferencesAtLeastTheObservedOne()
    {
        double[] a = [0, 0, 0, 0];
        double[] b = [1, 2, 3, 6];   // |b − a| has mean 3, so the shifted differences are −2, −1, 0, 3

        Assert.Equal(2.0 / 5, PairedBootstrap.PValue(a, b, 2.0), 1e-15);   // only 3 ≥ 2
        Assert.Equal(3.0 / 5, PairedBootstrap.PValue(a, b, 0.0), 1e-15);   // 0 and 3
        Assert.Equal(1.0 / 5, PairedBootstrap.PValue(a, b, 3.5), 1e-15);   // none
        Assert.Equal(2.0 / 5, PairedBootstrap.PValue(b, a, 2.0), 1e-15);   // symmetric in the systems
    }

    [Fact]
    public void IntervalUsesSacreBleuOrderStatistics()
    {
        // n = 80: the bounds are the sorted values at indices 80/40 = 2 and 80 − 2 − 1 = 77.
        var scores = Enumerable.Range(0, 80).Select(i => (double)((i * 37) % 80)).ToArray();

        var interval = BootstrapInterval.Of(scores);

        Assert.Equal(new BootstrapInterval(39.5, 2, 77), interval);
        Assert.Equal(37.5, interval.HalfWidth);
    }

    [Fact]
    public void RejectsSystemsOfDifferentLengthsAndEmptyInput()
    {
        var published = Segments(CslDaily.Value.Hypotheses.Take(10).ToArray());

        Assert.Throws<ArgumentException>(() => PairedBootstrap.Run([published, published.Take(9).ToArray()], Options, 10, 1));
        Assert.Throws<ArgumentException>(() => PairedBootstrap.Run([Array.Empty<SegmentScore>()], Options, 10, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => PairedBootstrap.Run([published], Options, 0, 1));
    }
}
