using SignTranslate.Metrics;

namespace SignTranslate.Training;

/// <summary>
/// The floor a translation model must clear: output the most frequent training sentence for every video. A model that
/// scores near it has learned the text prior, not the signs.
/// </summary>
public static class ConstantSentenceBaseline
{
    /// <summary>The most frequent text (ties broken by ordinal order, so the choice is deterministic).</summary>
    public static string MostFrequent(IEnumerable<string> texts) =>
        texts.GroupBy(t => t, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.Key).FirstOrDefault() ?? throw new ArgumentException("no texts", nameof(texts));

    public static CorpusScore Score(string sentence, IReadOnlyList<string> references, ScoringOptions options) =>
        CorpusScorer.Score(Enumerable.Repeat(sentence, references.Count).ToList(), references, options);
}
