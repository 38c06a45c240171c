using SignTranslate.Randomness;

namespace SignTranslate.Data.Synthetic;

/// <summary>
/// The distinct sentences a synthetic dataset uses. The first <see cref="SeenCount"/> may appear in training; the
/// rest appear only in dev and test, so those splits measure composition of known signs, not recall of seen sentences.
/// </summary>
public sealed class SentencePool
{
    public SentencePool(IReadOnlyList<SyntheticSentence> sentences, int seenCount)
    {
        if (sentences.Count == 0) throw new ArgumentException("A sentence pool needs at least one sentence.", nameof(sentences));
        Sentences = sentences;
        SeenCount = Math.Clamp(seenCount, 1, sentences.Count);
    }

    public IReadOnlyList<SyntheticSentence> Sentences { get; }

    /// <summary>Training draws from the first <see cref="SeenCount"/> sentences only.</summary>
    public int SeenCount { get; }

    /// <summary>Draws distinct sentences from <see cref="SyntheticGrammar"/> until the pool is full or the grammar runs dry.</summary>
    public static SentencePool FromGrammar(SyntheticOptions options)
    {
        var random = SplitMix64.For(options.Seed, SplitMix64.Key("sentence-pool"));
        var sentences = new List<SyntheticSentence>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var attempt = 0; sentences.Count < options.DistinctSentences && attempt < 50 * options.DistinctSentences; attempt++)
        {
            var sentence = SyntheticGrammar.Sample(random);
            if (seen.Add(sentence.Gloss))
                sentences.Add(sentence);
        }
        var unseen = (int)Math.Round(sentences.Count * options.UnseenSentenceFraction);
        return new SentencePool(sentences, sentences.Count - unseen);
    }
}
