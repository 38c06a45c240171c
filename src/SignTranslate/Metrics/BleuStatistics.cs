namespace SignTranslate.Metrics;

/// <summary>
/// sacreBLEU's sufficient statistics of one segment or of a corpus: hypothesis and reference lengths in tokens,
/// clipped n-gram matches and hypothesis n-gram totals for orders 1..4. Corpus BLEU is computed from the sum over
/// segments, so statistics of shards add up to exactly the statistics of the whole corpus.
/// </summary>
/// <param name="SysLen">Hypothesis tokens.</param>
/// <param name="RefLen">Reference tokens (of the reference closest in length; one reference here).</param>
/// <param name="Correct">Clipped n-gram matches per order.</param>
/// <param name="Total">Hypothesis n-grams per order: max(0, hypothesis length - n + 1).</param>
public readonly record struct BleuStatistics(long SysLen, long RefLen, NgramCounts Correct, NgramCounts Total)
{
    public static BleuStatistics Zero => default;

    public static BleuStatistics operator +(BleuStatistics a, BleuStatistics b) =>
        new(a.SysLen + b.SysLen, a.RefLen + b.RefLen, a.Correct + b.Correct, a.Total + b.Total);

    public static BleuStatistics Sum(IEnumerable<BleuStatistics> statistics)
    {
        var sum = Zero;
        foreach (var item in statistics)
            sum += item;
        return sum;
    }

    /// <summary>
    /// Statistics of one segment from its tokenized strings (after lowercasing, right-strip and the tokenizer);
    /// tokens are the Python-whitespace-separated parts.
    /// </summary>
    public static BleuStatistics ForSegment(string tokenizedHypothesis, string tokenizedReference) =>
        ForSegment(PythonWhitespace.Split(tokenizedHypothesis), PythonWhitespace.Split(tokenizedReference));

    private static BleuStatistics ForSegment(string[] hypothesisTokens, string[] referenceTokens)
    {
        var correct = new long[NgramCounts.MaxOrder];
        var total = new long[NgramCounts.MaxOrder];
        for (var order = 1; order <= NgramCounts.MaxOrder; order++)
        {
            if (hypothesisTokens.Length < order)
                break;
            var referenceCounts = CountNgrams(referenceTokens, order);
            var hypothesisCounts = CountNgrams(hypothesisTokens, order);
            foreach (var (ngram, count) in hypothesisCounts)
            {
                total[order - 1] += count;
                if (referenceCounts.TryGetValue(ngram, out var referenceCount))
                    correct[order - 1] += Math.Min(count, referenceCount);
            }
        }
        return new BleuStatistics(
            hypothesisTokens.Length, referenceTokens.Length, NgramCounts.FromArray(correct), NgramCounts.FromArray(total));
    }

    // Tokens never contain whitespace, so joining with a space is an injective key for the token tuple.
    private static Dictionary<string, long> CountNgrams(string[] tokens, int order)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var start = 0; start + order <= tokens.Length; start++)
        {
            var key = order == 1 ? tokens[start] : string.Join(' ', tokens, start, order);
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }
        return counts;
    }
}
