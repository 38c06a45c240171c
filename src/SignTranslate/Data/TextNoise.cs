namespace SignTranslate.Data;

/// <summary>
/// The masked text copy of VLP pretraining (docs/reference.md#s4.6.3): split on whitespace into n words, draw
/// u ~ U(0, rate), replace k = ⌈n·u⌉ words with <c>&lt;mask&gt;</c> (the last k for <c>omit_last</c>, k random ones
/// for <c>omit</c>), optionally shuffle the words with probability 0.5, and join with spaces. Unsegmented text
/// (no spaces, e.g. Chinese) is one word, so any mask hides the whole sentence, as in the reference.
/// </summary>
public static class TextNoise
{
    public const string Mask = "<mask>";

    public static string Apply(string text, MaskedTextOptions options, Random rng)
    {
        var words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0) return text;
        var masked = (int)Math.Ceiling(words.Length * rng.NextDouble() * options.NoiseRate);
        switch (options.NoiseType)
        {
            case TextNoiseType.OmitLast:
                for (var i = words.Length - masked; i < words.Length; i++) words[i] = Mask;
                break;
            case TextNoiseType.Omit:
                foreach (var i in Enumerable.Range(0, words.Length).OrderBy(_ => rng.Next()).Take(masked).ToList())
                    words[i] = Mask;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(options), options.NoiseType, "unknown noise type");
        }
        if (options.RandomShuffle && rng.NextDouble() < 0.5)
            rng.Shuffle(words);
        return string.Join(' ', words);
    }
}
