using SignTranslate.Randomness;

namespace SignTranslate.Data.Synthetic;

/// <summary>Lays signs and transitions out on the frame axis.</summary>
public static class VideoTimeline
{
    /// <summary>
    /// Built-in language: every sign lasts its natural length scaled by the signer's tempo (within
    /// [min_sign_frames, max_sign_frames]); transitions and the rest frames at both ends are drawn.
    /// </summary>
    public static (IReadOnlyList<GlossSpan> Spans, int FrameCount) Draw(
        IReadOnlyList<string> glosses, SignLexicon lexicon, double speed, SplitMix64 random, SyntheticOptions options)
    {
        var spans = new List<GlossSpan>(glosses.Count);
        var frame = random.NextInt(1, options.MaxRestFrames);
        for (var i = 0; i < glosses.Count; i++)
        {
            if (i > 0) frame += random.NextInt(options.MinTransitionFrames, options.MaxTransitionFrames);
            var natural = lexicon[glosses[i]].NaturalFrames / speed + random.Uniform(-1, 1);
            var length = Math.Clamp((int)Math.Round(natural), options.MinSignFrames, options.MaxSignFrames);
            spans.Add(new GlossSpan(glosses[i], frame, frame + length));
            frame += length;
        }
        frame += random.NextInt(1, options.MaxRestFrames);
        return (spans, frame);
    }

    /// <summary>
    /// Annotation-driven: the video must have exactly <paramref name="frameCount"/> frames. Transitions and rest
    /// frames shrink when the video is short; the remaining frames go to the signs in proportion to their natural
    /// lengths, at least one frame each. Returns null when the video has fewer frames than glosses.
    /// </summary>
    public static IReadOnlyList<GlossSpan>? Fit(
        IReadOnlyList<string> glosses, SignLexicon lexicon, int frameCount, SyntheticOptions options)
    {
        var count = glosses.Count;
        if (count == 0 || frameCount < count) return null;
        var rest = options.MaxRestFrames;
        var transition = (options.MinTransitionFrames + options.MaxTransitionFrames + 1) / 2;
        int SignBudget() => frameCount - 2 * rest - (count - 1) * transition;
        while (SignBudget() < 2 * count && (transition > 0 || rest > 0))
        {
            if (transition > 0) transition--;
            else rest--;
        }
        var budget = SignBudget();
        if (budget < count) return null;

        var lengths = Proportional(budget, glosses.Select(g => (double)lexicon[g].NaturalFrames).ToArray());
        var spans = new List<GlossSpan>(count);
        var frame = rest;
        for (var i = 0; i < count; i++)
        {
            if (i > 0) frame += transition;
            spans.Add(new GlossSpan(glosses[i], frame, frame + lengths[i]));
            frame += lengths[i];
        }
        return spans;
    }

    /// <summary>Splits <paramref name="total"/> into integer parts >= 1 proportional to <paramref name="weights"/> (largest remainder).</summary>
    internal static int[] Proportional(int total, IReadOnlyList<double> weights)
    {
        var count = weights.Count;
        var spare = total - count;
        var sum = weights.Sum();
        var exact = weights.Select(w => spare * w / sum).ToArray();
        var parts = exact.Select(x => 1 + (int)Math.Floor(x)).ToArray();
        var left = total - parts.Sum();
        foreach (var i in Enumerable.Range(0, count).OrderByDescending(i => exact[i] - Math.Floor(exact[i])).ThenBy(i => i).Take(left))
            parts[i]++;
        return parts;
    }
}
