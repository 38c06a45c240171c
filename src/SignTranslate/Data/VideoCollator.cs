using static TorchSharp.torch;

namespace SignTranslate.Data;

/// <summary>Per-video lengths of a collated batch (docs/reference.md#s2.3).</summary>
public static class VideoLengths
{
    /// <summary>Frames after temporal padding: 4·⌈n/4⌉+16 (reference scheme) or n.</summary>
    public static int Padded(int frames, PaddingScheme scheme) => scheme switch
    {
        PaddingScheme.Reference => 4 * ((frames + 3) / 4) + 16,
        PaddingScheme.None => frames,
        _ => throw new ArgumentOutOfRangeException(nameof(scheme), scheme, null),
    };

    /// <summary>Replicated first frames in front: 8 (reference scheme) or 0.</summary>
    public static int Leading(PaddingScheme scheme) => scheme == PaddingScheme.Reference ? 8 : 0;

    /// <summary>
    /// Length after TemporalConv (K5, P2, K5, P2, valid): ((T−4)//2 − 4)//2, or 0 when the clip is too short to
    /// produce any output. For the reference scheme this equals ⌈n/4⌉+1.
    /// </summary>
    public static int AfterTemporalConv(int padded) => Math.Max(0, ((padded - 4) / 2 - 4) / 2);

    /// <summary>The fewest frames a clip needs for the temporal convolution to give any output: 1 (reference scheme) or 16 (none).</summary>
    public static int MinimumFrames(PaddingScheme scheme)
    {
        var frames = 1;
        while (AfterTemporalConv(Padded(frames, scheme)) < 1) frames++;
        return frames;
    }
}

/// <summary>The video part of a batch: RGB frames, keypoints, or both (the same frames of the same clips).</summary>
public sealed class VideoBatch : IDisposable
{
    /// <summary>All videos' padded frames concatenated along the frame axis: (ΣT_i, 3, H, W), float32; null when the model reads keypoints only.</summary>
    public Tensor? Frames { get; init; }

    /// <summary>The same frames' normalised keypoints (ΣT_i, 133, 3), padded the same way; null when the model reads RGB only.</summary>
    public Tensor? Keypoints { get; init; }

    /// <summary>What the model reads (<see cref="Frames"/> and <see cref="Keypoints"/>), on <paramref name="device"/>.</summary>
    public Models.SignInputs Inputs(Device device) => new Models.SignInputs(Frames, Keypoints).To(device);

    /// <summary>n_i: frames of each video before padding (after the frame cap).</summary>
    public required IReadOnlyList<int> FrameCounts { get; init; }

    /// <summary>T_i: frames of each video after padding (the reference's <c>src_length_batch</c>).</summary>
    public required IReadOnlyList<int> PaddedLengths { get; init; }

    /// <summary><see cref="PaddedLengths"/> as an int64 tensor (B), the <c>frameLengths</c> the models take.</summary>
    public required Tensor Lengths { get; init; }

    /// <summary>Replicated first frames at the start of every video (8 or 0).</summary>
    public required int LeadingPadding { get; init; }

    /// <summary>T'_i: valid positions of each video after TemporalConv.</summary>
    public required IReadOnlyList<int> ConvLengths { get; init; }

    /// <summary>(B, T'_max) int64, 1 on the first T'_i positions of row i.</summary>
    public required Tensor AttentionMask { get; init; }

    public void Dispose()
    {
        Frames?.Dispose();
        Keypoints?.Dispose();
        Lengths.Dispose();
        AttentionMask.Dispose();
    }
}

/// <summary>
/// Collates preprocessed clips (frames (n_i, 3, H, W) and/or keypoints (n_i, 133, 3)) into one <see cref="VideoBatch"/>.
/// With the reference scheme each clip gets 8 leading copies of its first frame and trailing copies of its last frame
/// up to 4·⌈n/4⌉+16. Example: n=86 → T=104, T'=23.
/// </summary>
public static class VideoCollator
{
    public static VideoBatch Collate(IReadOnlyList<Tensor> videos, PaddingScheme scheme) => Collate(videos, null, scheme);

    /// <summary>Either list may be null (that stream is not read); when both are given, clip i has as many frames in each.</summary>
    public static VideoBatch Collate(IReadOnlyList<Tensor>? videos, IReadOnlyList<Tensor>? keypoints, PaddingScheme scheme)
    {
        var first = videos ?? keypoints ?? throw new ArgumentException("a batch needs frames or keypoints");
        if (first.Count == 0) throw new ArgumentException("a batch needs at least one video", nameof(videos));
        if (videos is not null && keypoints is not null && videos.Count != keypoints.Count)
            throw new ArgumentException($"{videos.Count} clips of frames but {keypoints.Count} of keypoints");
        using var scope = NewDisposeScope();
        var counts = new int[first.Count];
        var padded = new int[first.Count];
        var conv = new int[first.Count];
        var leading = VideoLengths.Leading(scheme);
        for (var i = 0; i < first.Count; i++)
        {
            counts[i] = (int)first[i].shape[0];
            if (counts[i] == 0) throw new ArgumentException($"video {i} has no frames", nameof(videos));
            if (videos is not null && keypoints is not null && keypoints[i].shape[0] != counts[i])
                throw new ArgumentException($"clip {i} has {counts[i]} frames but {keypoints[i].shape[0]} keypoint frames");
            padded[i] = VideoLengths.Padded(counts[i], scheme);
            conv[i] = VideoLengths.AfterTemporalConv(padded[i]);
        }
        var maxConv = conv.Max();
        var positions = arange(maxConv, dtype: ScalarType.Int64).unsqueeze(0);
        var mask = positions.lt(tensor(conv.Select(c => (long)c).ToArray()).unsqueeze(1)).to_type(ScalarType.Int64);
        return new VideoBatch
        {
            Frames = videos is null ? null : Pad(videos, padded, leading).MoveToOuterDisposeScope(),
            Keypoints = keypoints is null ? null : Pad(keypoints, padded, leading).MoveToOuterDisposeScope(),
            FrameCounts = counts,
            PaddedLengths = padded,
            Lengths = tensor(padded.Select(t => (long)t).ToArray()).MoveToOuterDisposeScope(),
            LeadingPadding = leading,
            ConvLengths = conv,
            AttentionMask = mask.MoveToOuterDisposeScope(),
        };
    }

    // Every clip (n_i, ...) with leading copies of its first frame and trailing copies of its last, concatenated: (ΣT_i, ...).
    private static Tensor Pad(IReadOnlyList<Tensor> clips, int[] padded, int leading)
    {
        var parts = new List<Tensor>(clips.Count * 3);
        for (var i = 0; i < clips.Count; i++)
        {
            var clip = clips[i];
            var rest = clip.shape.Skip(1).ToArray();
            var trailing = padded[i] - leading - (int)clip.shape[0];
            if (leading > 0) parts.Add(clip[..1].expand([leading, .. rest]));
            parts.Add(clip);
            if (trailing > 0) parts.Add(clip[^1..].expand([trailing, .. rest]));
        }
        return cat(parts, 0);
    }
}
