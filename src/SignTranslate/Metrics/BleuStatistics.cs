using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static BleuStatistics ForSegment(string[] hypothesisTokens, string[] referenceTokens)
    {
        var referenceCounts = new Dictionary<string, int>(referenceTokens.Length * NgramCounts.MaxOrder, StringComparer.Ordinal);
        for (var order = 1; order <= NgramCounts.MaxOrder; order++)
            for (var start = 0; start + order <= referenceTokens.Length; start++)
                CollectionsMarshal.GetValueRefOrAddDefault(referenceCounts, Ngram(referenceTokens, start, order), out _)++;

        // Clipping, one occurrence at a time: the k-th occurrence of an n-gram matches while k <= its reference count,
        // which sums to min(hypothesis count, reference count) per n-gram.
        var hypothesisCounts = new Dictionary<string, int>(hypothesisTokens.Length * NgramCounts.MaxOrder, StringComparer.Ordinal);
        var correct = new long[NgramCounts.MaxOrder];
        var total = new long[NgramCounts.MaxOrder];
        for (var order = 1; order <= NgramCounts.MaxOrder; order++)
        {
            total[order - 1] = Math.Max(0, hypothesisTokens.Length - order + 1);
            for (var start = 0; start + order <= hypothesisTokens.Length; start++)
            {
                var ngram = Ngram(hypothesisTokens, start, order);
                var seen = ++CollectionsMarshal.GetValueRefOrAddDefault(hypothesisCounts, ngram, out _);
                if (seen <= referenceCounts.GetValueOrDefault(ngram))
                    correct[order - 1]++;
            }
        }
        return new BleuStatistics(
            hypothesisTokens.Length, referenceTokens.Length, NgramCounts.FromArray(correct), NgramCounts.FromArray(total));
    }

    // Tokens never contain whitespace, so the tokens joined by spaces identify the n-gram, and n-grams of different
    // orders (different numbers of spaces) never collide.
    private static string Ngram(string[] tokens, int start, int order) =>
        order == 1 ? tokens[start] : string.Join(' ', tokens, start, order);
}
