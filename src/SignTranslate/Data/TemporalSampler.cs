namespace SignTranslate.Data;

/// <summary>
/// Which frames of a video are kept under the frame cap (docs/reference.md#s2.2 step 2): all of them when the video
/// is short enough; otherwise a random sorted subset (training, and evaluation in faithful mode) or a deterministic
/// uniform stride (evaluation by default).
/// </summary>
public static class TemporalSampler
{
    public static int[] Indices(int frameCount, int maxFrames, bool random, Random rng)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(frameCount);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxFrames, 1);
        if (frameCount <= maxFrames) return Enumerable.Range(0, frameCount).ToArray();
        if (!random)
            // Centre of each of maxFrames equal bins; strictly increasing because frameCount > maxFrames.
            return Enumerable.Range(0, maxFrames).Select(i => (int)((i + 0.5) * frameCount / maxFrames)).ToArray();

        // Partial Fisher–Yates: the first maxFrames entries become a uniform sample without replacement.
        var pool = Enumerable.Range(0, frameCount).ToArray();
        for (var i = 0; i < maxFrames; i++)
        {
            var j = rng.Next(i, frameCount);
            (pool[i], pool[j]) = (pool[j], pool[i]);
        }
        var chosen = pool[..maxFrames];
        Array.Sort(chosen);
        return chosen;
    }

    /// <summary>The frames of a decoded clip (n, ...) that <see cref="Indices"/> keeps: the clip itself when it is short enough.</summary>
    public static TorchSharp.torch.Tensor Keep(TorchSharp.torch.Tensor clip, int maxFrames, bool random, Random rng)
    {
        var keep = Indices((int)clip.shape[0], maxFrames, random, rng);
        return keep.Length < clip.shape[0]
            ? clip.index_select(0, TorchSharp.torch.tensor(keep.Select(i => (long)i).ToArray()))
            : clip;
    }
}
