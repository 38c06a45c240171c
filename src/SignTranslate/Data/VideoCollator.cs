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

/// <summary>The video part of a batch.</summary>
public sealed class VideoBatch : IDisposable
{
    /// <summary>All videos' padded frames concatenated along the frame axis: (ΣT_i, 3, H, W), float32.</summary>
    public required Tensor Frames { get; init; }

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
        Frames.Dispose();
        Lengths.Dispose();
        AttentionMask.Dispose();
    }
}

/// <summary>
/// Collates preprocessed videos (each (n_i, 3, H, W)) into one <see cref="VideoBatch"/>. With the reference scheme
/// each video gets 8 leading copies of its first frame and trailing copies of its last frame up to 4·⌈n/4⌉+16.
/// Example: n=86 → T=104, T'=23.
/// </summary>
public static class VideoCollator
{
    public static VideoBatch Collate(IReadOnlyList<Tensor> videos, PaddingScheme scheme)
    {
        if (videos.Count == 0) throw new ArgumentException("a batch needs at least one video", nameof(videos));
        using var scope = NewDisposeScope();
        var counts = new int[videos.Count];
        var padded = new int[videos.Count];
        var conv = new int[videos.Count];
        var parts = new List<Tensor>(videos.Count * 3);
        var leading = VideoLengths.Leading(scheme);
        for (var i = 0; i < videos.Count; i++)
        {
            var video = videos[i];
            counts[i] = (int)video.shape[0];
            if (counts[i] == 0) throw new ArgumentException($"video {i} has no frames", nameof(videos));
            padded[i] = VideoLengths.Padded(counts[i], scheme);
            conv[i] = VideoLengths.AfterTemporalConv(padded[i]);
            var trailing = padded[i] - leading - counts[i];
            if (leading > 0) parts.Add(video[..1].expand(leading, -1, -1, -1));
            parts.Add(video);
            if (trailing > 0) parts.Add(video[^1..].expand(trailing, -1, -1, -1));
        }
        var frames = cat(parts, 0);
        var maxConv = conv.Max();
        var positions = arange(maxConv, dtype: ScalarType.Int64).unsqueeze(0);
        var mask = positions.lt(tensor(conv.Select(c => (long)c).ToArray()).unsqueeze(1)).to_type(ScalarType.Int64);
        return new VideoBatch
        {
            Frames = frames.MoveToOuterDisposeScope(),
            FrameCounts = counts,
            PaddedLengths = padded,
            Lengths = tensor(padded.Select(t => (long)t).ToArray()).MoveToOuterDisposeScope(),
            LeadingPadding = leading,
            ConvLengths = conv,
            AttentionMask = mask.MoveToOuterDisposeScope(),
        };
    }
}
