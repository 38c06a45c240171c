using SignTranslate.Data.Synthetic;
using static TorchSharp.torch;

namespace SignTranslate.Data;

/// <summary>A frame of a clip as a small PNG, with its index among the clip's real frames.</summary>
public sealed record ClipThumbnail(int Frame, byte[] Png);

/// <summary>
/// PNG pictures of the frames the model was given (after resizing and normalisation), for showing beside attention.
/// The normalisation is undone by stretching the clip's value range to 0..255: the picture shows what the model
/// received without needing the configuration's mean and standard deviation.
/// </summary>
public static class ClipThumbnails
{
    /// <summary>At most <paramref name="count"/> frames of the first video of <paramref name="video"/>, evenly spaced.</summary>
    public static IReadOnlyList<ClipThumbnail> Of(VideoBatch video, int count)
    {
        using var scope = NewDisposeScope();
        var frames = video.FrameCounts[0];
        // A pose-only batch has no pictures to show.
        if (frames == 0 || count <= 0 || video.Frames is null) return [];
        var picked = Enumerable.Range(0, Math.Min(count, frames))
            .Select(k => (int)((long)k * frames / Math.Min(count, frames))).Distinct().ToArray();
        var clip = video.Frames[video.LeadingPadding..(video.LeadingPadding + frames)].cpu().to(ScalarType.Float32);  // [n,3,H,W]
        var low = clip.min().item<float>();
        var high = clip.max().item<float>();
        var scaled = ((clip - low) * (255f / Math.Max(high - low, 1e-6f))).clamp(0, 255).to(ScalarType.Byte);
        var height = (int)clip.shape[2];
        var width = (int)clip.shape[3];
        return picked.Select(i => new ClipThumbnail(i, PngEncoder.EncodePlanarRgb(scaled[i].contiguous().data<byte>().ToArray(), width, height))).ToList();
    }
}
