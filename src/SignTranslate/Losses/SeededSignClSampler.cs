namespace SignTranslate.Losses;

/// <summary>
/// The reference sampling rule (<c>random.sample</c> without replacement, per anchor) driven by a seeded
/// <see cref="Random"/>, so a run repeats exactly for a given seed. The index sequence differs from Python's
/// <c>random</c>; replay recorded draws with <see cref="RecordedSignClSampler"/> when exact indices matter.
/// </summary>
public sealed class SeededSignClSampler(int seed) : ISignClSampler
{
    private readonly Random _random = new(seed);

    public SequenceDraw Draw(int frames, int margin, int positiveSamples, int negativeSamples)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(positiveSamples);
        ArgumentOutOfRangeException.ThrowIfNegative(negativeSamples);

        var anchors = new List<AnchorDraw>(Math.Max(0, frames - 3));
        var candidates = new int[Math.Max(0, frames)];
        foreach (var i in SequenceDraw.AnchorFrames(frames))
        {
            var neighbours = new[] { i - 1, i + 1 };
            var positives = SampleWithoutReplacement(neighbours, neighbours.Length, positiveSamples);

            var count = 0;
            for (var j = 2; j <= frames - 3; j++)
                if (j < i - margin || j > i + margin)
                    candidates[count++] = j;
            var negatives = SampleWithoutReplacement(candidates, count, negativeSamples);

            anchors.Add(new AnchorDraw(i, positives, negatives));
        }
        return new SequenceDraw(frames, anchors);
    }

    /// <summary>min(k, count) distinct items of <paramref name="pool"/>[0..count), in random order (partial Fisher–Yates;
    /// reorders the pool prefix).</summary>
    private int[] SampleWithoutReplacement(int[] pool, int count, int k)
    {
        var take = Math.Min(count, k);
        var picked = new int[take];
        for (var n = 0; n < take; n++)
        {
            var pick = _random.Next(n, count);
            (pool[n], pool[pick]) = (pool[pick], pool[n]);
            picked[n] = pool[n];
        }
        return picked;
    }
}
