namespace SignTranslate.Data;

/// <summary>
/// Which frames of its source a loaded clip is, filled in by an <see cref="IVideoSource"/> so that the keypoints of an
/// RGB + pose sample can take exactly the same frames.
/// </summary>
public sealed class FrameSelection
{
    /// <summary>Frames of the source video (after decoding at the configured rate).</summary>
    public int SourceFrames { get; private set; }

    /// <summary>Indices of the kept source frames, increasing.</summary>
    public IReadOnlyList<int> Kept { get; private set; } = [];

    public void Record(int sourceFrames, IReadOnlyList<int> kept)
    {
        SourceFrames = sourceFrames;
        Kept = kept;
    }
}

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

    /// <summary>
    /// The frames of a decoded clip (n, ...) that <see cref="Indices"/> keeps: the clip itself when it is short enough.
    /// <paramref name="selection"/>, when given, records them.
    /// </summary>
    public static TorchSharp.torch.Tensor Keep(TorchSharp.torch.Tensor clip, int maxFrames, bool random, Random rng, FrameSelection? selection = null)
    {
        var keep = Indices((int)clip.shape[0], maxFrames, random, rng);
        selection?.Record((int)clip.shape[0], keep);
        return keep.Length < clip.shape[0]
            ? clip.index_select(0, TorchSharp.torch.tensor(keep.Select(i => (long)i).ToArray()))
            : clip;
    }
}
