using SignTranslate.Metrics;

namespace SignTranslate.Tests.Metrics;

public class BleuStatisticsTests
{
    [Fact]
    public void SegmentStatisticsClipRepeatedNgrams()
    {
        var statistics = BleuStatistics.ForSegment("the the the cat", "the cat the mat");

        Assert.Equal(new BleuStatistics(4, 4, new(3, 1, 0, 0), new(4, 3, 2, 1)), statistics);
    }

    public static TheoryData<string> Files => MetricsVector.Files();

    [Theory]
    [MemberData(nameof(Files))]
    public void HalvesOfEveryVectorCorpusSumToTheWhole(string file)
    {
        var vector = MetricsVector.Load(file);
        var hypotheses = vector.Strings("hypotheses");
        var references = vector.Strings("references");
        var options = vector.Options;
        var whole = CorpusScorer.Score(hypotheses, references, options);
        var half = hypotheses.Length / 2;

        var first = CorpusScorer.ScoreSegments(hypotheses[..half], references[..half], options);
        var second = CorpusScorer.ScoreSegments(hypotheses[half..], references[half..], options);

        Assert.Equal(whole.Statistics, BleuStatistics.Sum(first.Select(s => s.Bleu)) + BleuStatistics.Sum(second.Select(s => s.Bleu)));
        var recombined = CorpusScore.FromSegments([.. first, .. second], options);
        Assert.Equal(whole.Bleu4, recombined.Bleu4);
        Assert.Equal(whole.RougeL, recombined.RougeL);
        Assert.Equal(vector.Long("ref_len"), recombined.Statistics.RefLen);
    }

    [Fact]
    public void PerfectMatchIsOneUlpAboveHundredLikeSacreBleu()
    {
        var score = BleuScore.Compute(new BleuStatistics(9, 9, new(9, 8, 7, 6), new(9, 8, 7, 6)), 4);

        Assert.Equal(100.00000000000004, score.Score);
        Assert.Equal([100.0, 100.0, 100.0, 100.0], score.Precisions);
    }

    [Fact]
    public void ExpSmoothingDoublesPerZeroOrder()
    {
        var statistics = new BleuStatistics(10, 10, new(5, 0, 0, 0), new(10, 9, 8, 7));

        var bleu3 = BleuScore.Compute(statistics, 3);
        var bleu4 = BleuScore.Compute(statistics, 4);

        Assert.Equal([50.0, 100.0 / (2 * 9), 100.0 / (4 * 8)], bleu3.Precisions);
        Assert.Equal(Math.Exp((Math.Log(50.0) + Math.Log(100.0 / 18) + Math.Log(100.0 / 32)) / 3), bleu3.Score);
        Assert.Equal(100.0 / (8 * 7), bleu4.Precisions[3]);
    }

    [Fact]
    public void OrderWithoutHypothesisNgramsZeroesTheScoreDespiteSmoothing()
    {
        // One-token hypotheses: no bigrams at all, so BLEU-2..4 are 0 while BLEU-1 is perfect.
        var statistics = new BleuStatistics(2, 2, new(2, 0, 0, 0), new(2, 0, 0, 0));

        Assert.Equal(100.00000000000004, BleuScore.Compute(statistics, 1).Score);
        for (var order = 2; order <= 4; order++)
        {
            var score = BleuScore.Compute(statistics, order);
            Assert.Equal(0.0, score.Score);
            Assert.Equal(0.0, score.Precisions[order - 1]);
        }
    }

    [Theory]
    [InlineData(5, 10, 0.36787944117144233)]  // exp(1 - 10/5)
    [InlineData(0, 10, 0.0)]
    [InlineData(10, 10, 1.0)]
    [InlineData(12, 10, 1.0)]
    public void BrevityPenaltyUsesSummedLengths(long sysLen, long refLen, double expected)
    {
        Assert.Equal(expected, BleuScore.BrevityPenaltyOf(sysLen, refLen));
    }

    [Fact]
    public void NoMatchAtAllScoresZeroBeforeSmoothing()
    {
        var score = BleuScore.Compute(new BleuStatistics(3, 3, NgramCounts.Zero, new(3, 2, 1, 0)), 4);

        Assert.Equal(0.0, score.Score);
        Assert.All(score.Precisions, p => Assert.Equal(0.0, p));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    public void OrderOutsideOneToFourIsRejected(int order)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BleuScore.Compute(BleuStatistics.Zero, order));
    }
}
