using SignTranslate.Metrics;

namespace SignTranslate.Tests.Metrics;

/// <summary>
/// Parity with every reference vector of <c>testdata/metrics</c> (or the folder in <c>SLT_METRICS_VECTORS</c>):
/// scores to 1e-9 absolute, integer statistics, tokenized strings and per-sentence ROUGE-L.
/// </summary>
public class MetricsVectorParityTests
{
    private const double Tolerance = 1e-9;

    public static TheoryData<string> Files => MetricsVector.Files();

    [Theory]
    [MemberData(nameof(Files))]
    public void CorpusScoresAndStatisticsMatch(string file)
    {
        var vector = MetricsVector.Load(file);
        var score = CorpusScorer.Score(vector.Strings("hypotheses"), vector.Strings("references"), vector.Options);

        Assert.Equal(vector.Long("sys_len"), score.Statistics.SysLen);
        Assert.Equal(vector.Long("ref_len"), score.Statistics.RefLen);
        Assert.Equal(vector.Longs("counts"), score.Statistics.Correct.ToArray());
        Assert.Equal(vector.Longs("totals"), score.Statistics.Total.ToArray());
        AssertClose(vector.Double("bp"), score.BrevityPenalty, "bp");
        AssertClose(vector.Doubles("precisions"), score.Precisions, "precisions");
        AssertClose(vector.Double("bleu1"), score.Bleu1, "bleu1");
        AssertClose(vector.Double("bleu2"), score.Bleu2, "bleu2");
        AssertClose(vector.Double("bleu3"), score.Bleu3, "bleu3");
        AssertClose(vector.Double("bleu4"), score.Bleu4, "bleu4");
        AssertClose(vector.Double("rouge_l"), score.RougeL, "rouge_l");
        Assert.Equal(vector.Strings("hypotheses").Length, score.Segments);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void EachBleuOrderMatchesItsOwnSacreBleuRun(string file)
    {
        var vector = MetricsVector.Load(file);
        var score = CorpusScorer.Score(vector.Strings("hypotheses"), vector.Strings("references"), vector.Options);

        var byOrder = vector.Root.GetProperty("bleu_by_order");
        for (var order = 1; order <= 4; order++)
        {
            var expected = byOrder.GetProperty(order.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var actual = score.BleuByOrder[order - 1];
            Assert.Equal(order, actual.MaxOrder);
            AssertClose(expected.GetProperty("score").GetDouble(), actual.Score, $"BLEU-{order} score");
            AssertClose(expected.GetProperty("bp").GetDouble(), actual.BrevityPenalty, $"BLEU-{order} bp");
            AssertClose(MetricsVector.Doubles(expected.GetProperty("precisions")), actual.Precisions, $"BLEU-{order} precisions");
            Assert.Equal(MetricsVector.Longs(expected.GetProperty("counts")), score.Statistics.Correct.ToArray(order));
            Assert.Equal(MetricsVector.Longs(expected.GetProperty("totals")), score.Statistics.Total.ToArray(order));
            Assert.Equal(expected.GetProperty("signature").GetString(), score.Signature);
        }
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void SegmentsMatchTokenizationStatisticsAndSentenceRouge(string file)
    {
        var vector = MetricsVector.Load(file);
        var options = vector.Options;
        var hypotheses = vector.Strings("hypotheses");
        var references = vector.Strings("references");
        var segments = CorpusScorer.ScoreSegments(hypotheses, references, options);

        if (options.CharSplit)
        {
            Assert.Equal(vector.Strings("metric_input_hypotheses"), hypotheses.Select(h => CorpusScorer.Preprocess(h, options)));
            Assert.Equal(vector.Strings("metric_input_references"), references.Select(r => CorpusScorer.Preprocess(r, options)));
        }
        Assert.Equal(vector.Strings("tokenized_hypotheses"), segments.Select(s => s.TokenizedHypothesis));
        Assert.Equal(vector.Strings("tokenized_references"), segments.Select(s => s.TokenizedReference));

        var expectedStats = vector.Root.GetProperty("segment_stats").EnumerateArray().Select(MetricsVector.Longs).ToArray();
        Assert.Equal(expectedStats.Length, segments.Count);
        for (var i = 0; i < segments.Count; i++)
        {
            var bleu = segments[i].Bleu;
            long[] actual = [bleu.SysLen, bleu.RefLen, .. bleu.Correct.ToArray(), .. bleu.Total.ToArray()];
            Assert.True(expectedStats[i].SequenceEqual(actual),
                $"segment {i}: expected [{string.Join(", ", expectedStats[i])}], got [{string.Join(", ", actual)}]");
        }

        AssertClose(vector.Doubles("rouge_l_sentences"), segments.Select(s => s.RougeL).ToArray(), "rouge_l_sentences");
    }

    private static void AssertClose(double expected, double actual, string what) =>
        Assert.True(Math.Abs(expected - actual) <= Tolerance, $"{what}: expected {expected:R}, got {actual:R}");

    private static void AssertClose(IReadOnlyList<double> expected, IReadOnlyList<double> actual, string what)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
            AssertClose(expected[i], actual[i], $"{what}[{i}]");
    }
}
