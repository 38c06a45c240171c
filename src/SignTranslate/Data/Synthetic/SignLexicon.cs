using SignTranslate.Randomness;

namespace SignTranslate.Data.Synthetic;

/// <summary>
/// Maps every gloss to its <see cref="SignAppearance"/>. Appearances are drawn from the seed for the glosses in
/// ordinal order, each one kept only if it differs from every earlier sign in at least
/// <see cref="PreferredDistance"/> features (falling back to 1 once the space is crowded), so no two glosses look
/// the same and the small built-in vocabulary is easy to tell apart.
/// </summary>
public sealed class SignLexicon
{
    private const int PreferredDistance = 3;
    private const int AttemptsPerDistance = 400;

    private readonly Dictionary<string, SignAppearance> _signs;

    private SignLexicon(Dictionary<string, SignAppearance> signs) => _signs = signs;

    public IReadOnlyCollection<string> Glosses => _signs.Keys;

    public SignAppearance this[string gloss] =>
        _signs.TryGetValue(gloss, out var sign) ? sign : throw new KeyNotFoundException($"Gloss '{gloss}' is not in the sign lexicon.");

    public static SignLexicon Build(IEnumerable<string> glosses, SyntheticOptions options)
    {
        var random = SplitMix64.For(options.Seed, SplitMix64.Key("sign-lexicon"));
        var signs = new Dictionary<string, SignAppearance>(StringComparer.Ordinal);
        foreach (var gloss in glosses.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            signs[gloss] = DrawDistinct(random, signs.Values, options);
        return new SignLexicon(signs);
    }

    private static SignAppearance DrawDistinct(SplitMix64 random, IReadOnlyCollection<SignAppearance> existing, SyntheticOptions options)
    {
        for (var required = PreferredDistance; ; required = Math.Max(1, required - 1))
        {
            for (var attempt = 0; attempt < AttemptsPerDistance; attempt++)
            {
                var candidate = Draw(random, options);
                if (existing.All(sign => sign.Distance(candidate) >= required))
                    return candidate;
            }
            if (required == 1)
                throw new InvalidOperationException($"Could not find a distinct appearance for sign number {existing.Count + 1}.");
        }
    }

    private static SignAppearance Draw(SplitMix64 random, SyntheticOptions options)
    {
        var colours = SignAppearance.HandColours.Count;
        return new SignAppearance(
            Location: (BodyLocation)random.NextInt(0, Enum.GetValues<BodyLocation>().Length - 1),
            Path: (MotionPath)random.NextInt(0, Enum.GetValues<MotionPath>().Length - 1),
            DirectionIndex: random.NextInt(0, SignAppearance.Directions - 1),
            DominantShape: (HandShape)random.NextInt(0, Enum.GetValues<HandShape>().Length - 1),
            DominantColour: random.NextInt(0, colours - 1),
            SecondHand: (SecondHandRole)random.NextInt(0, Enum.GetValues<SecondHandRole>().Length - 1),
            SecondShape: (HandShape)random.NextInt(0, Enum.GetValues<HandShape>().Length - 1),
            SecondColour: random.NextInt(0, colours - 1),
            NaturalFrames: random.NextInt(options.MinSignFrames, options.MaxSignFrames));
    }
}
