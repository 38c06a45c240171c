namespace SignTranslate.Losses;

/// <summary>The negative-sampling margin rules (docs/reference.md#s6.2), as pure functions of the clip's sizes.</summary>
public static class SignClMargin
{
    /// <summary>
    /// The margin for a clip of <paramref name="frames"/> frames whose text has <paramref name="tokens"/> tokens. For
    /// <see cref="SignClMarginRule.TrainingScript"/> pass the padded batch sizes (frame count of the feature tensor,
    /// token count including <c>&lt;/s&gt;</c> and the lang code); for the paper and README rules the real counts.
    /// </summary>
    public static int Compute(SignClOptions options, int frames, int tokens)
    {
        var margin = Raw(options.MarginRule, frames, tokens, options.FixedMargin);
        return options.ClampMarginToAtLeastOne ? Math.Max(1, margin) : margin;
    }

    /// <summary>The rule's value before the optional clamp to ≥ 1 (may be negative for the training-script rule).</summary>
    public static int Raw(SignClMarginRule rule, int frames, int tokens, int fixedMargin = 20)
    {
        if (rule == SignClMarginRule.Fixed)
            return fixedMargin;
        if (frames < 0)
            throw new ArgumentOutOfRangeException(nameof(frames), frames, "frame count must be >= 0");
        if (tokens < 1)
            throw new ArgumentOutOfRangeException(nameof(tokens), tokens, "token count must be >= 1");

        switch (rule)
        {
            case SignClMarginRule.TrainingScript:
            {
                // Python: int((T // L + 1) * 2.3); int() truncates, and the product is positive.
                var margin = 2 * Math.Max(10, (int)((frames / tokens + 1) * 2.3));
                // Python: int((T - 30) / 2) truncates toward zero, as C# integer division does.
                return Math.Min(margin, (frames - 30) / 2);
            }
            case SignClMarginRule.Paper:
            {
                var half = Math.Max(10.0, (double)frames / tokens * 2.3);
                // Integer offsets satisfy |Δ| > 2m exactly when |Δ| > ⌊2m⌋.
                return (int)Math.Floor(2 * half);
            }
            case SignClMarginRule.ReadmeUsage:
                return Math.Min(20, Math.Max(10, (int)Math.Floor(frames / tokens * 2.3)));
            case SignClMarginRule.ReadmeExample:
                return Math.Min(20, 2 * Math.Max(10, (int)Math.Floor(frames / tokens * 2.3)));
            default:
                throw new ArgumentOutOfRangeException(nameof(rule), rule, "unknown margin rule");
        }
    }
}
