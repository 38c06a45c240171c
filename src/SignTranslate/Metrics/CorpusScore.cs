namespace SignTranslate.Metrics;

/// <summary>Corpus BLEU-1..4 and COCO ROUGE-L of a list of segments, with the statistics behind them.</summary>
public sealed record CorpusScore
{
    public required ScoringOptions Options { get; init; }

    /// <summary>Number of hypothesis/reference pairs.</summary>
    public required int Segments { get; init; }

    /// <summary>Summed BLEU statistics of all segments.</summary>
    public required BleuStatistics Statistics { get; init; }

    /// <summary>BLEU-1..BLEU-4 (index 0..3), each with its own precisions and the shared brevity penalty.</summary>
    public required IReadOnlyList<BleuScore> BleuByOrder { get; init; }

    /// <summary>Mean COCO ROUGE-L F-measure in percent (0..100).</summary>
    public required double RougeL { get; init; }

    public double Bleu1 => BleuByOrder[0].Score;
    public double Bleu2 => BleuByOrder[1].Score;
    public double Bleu3 => BleuByOrder[2].Score;
    public double Bleu4 => BleuByOrder[3].Score;

    /// <summary>The smoothed precisions (percent) of orders 1..4, as BLEU-4 uses them.</summary>
    public IReadOnlyList<double> Precisions => BleuByOrder[3].Precisions;

    public double BrevityPenalty => BleuByOrder[3].BrevityPenalty;

    public string Signature => Options.Signature();

    /// <summary>Combines per-segment statistics (all of a corpus, a shard, or a bootstrap resample).</summary>
    public static CorpusScore FromSegments(IReadOnlyList<SegmentScore> segments, ScoringOptions options)
    {
        var statistics = BleuStatistics.Sum(segments.Select(segment => segment.Bleu));
        var rougeL = CocoRougeL.Corpus(segments.Select(segment => segment.RougeL).ToArray());
        return FromStatistics(statistics, rougeL, segments.Count, options);
    }

    public static CorpusScore FromStatistics(BleuStatistics statistics, double rougeL, int segments, ScoringOptions options) =>
        new()
        {
            Options = options,
            Segments = segments,
            Statistics = statistics,
            BleuByOrder = [.. Enumerable.Range(1, NgramCounts.MaxOrder).Select(order => BleuScore.Compute(statistics, order))],
            RougeL = rougeL,
        };
}
