using static TorchSharp.torch;
using TF = TorchSharp.torchvision.transforms.functional;

namespace SignTranslate.Data;

/// <summary>The random parameters of one clip's augmentation; null = that augmentation is not applied.</summary>
public sealed record ClipAugmentation(double? RotationDegrees, double? Rescale, (int Dx, int Dy)? Translation)
{
    public static readonly ClipAugmentation None = new(null, null, null);

    /// <summary>Draws one parameter set for a clip, in the reference's order: rotate, rescale, translate.</summary>
    public static ClipAugmentation Draw(AugmentationOptions options, Random rng)
    {
        double? rotation = rng.NextDouble() < options.RotateProbability
            ? (rng.NextDouble() * 2 - 1) * options.MaxRotationDegrees : null;
        double? rescale = rng.NextDouble() < options.RescaleProbability
            ? options.MinRescale + rng.NextDouble() * (options.MaxRescale - options.MinRescale) : null;
        (int, int)? translation = rng.NextDouble() < options.TranslateProbability
            ? (rng.Next(-options.MaxTranslationPixels, options.MaxTranslationPixels + 1),
               rng.Next(-options.MaxTranslationPixels, options.MaxTranslationPixels + 1))
            : null;
        return new ClipAugmentation(rotation, rescale, translation);
    }
}

/// <summary>
/// Frame preprocessing of one clip (docs/reference.md#s2.2 steps 4–7), on a uint8 tensor (n, 3, H, W) as decoded:
/// clip-consistent augmentation (training), resize to the configured size (bicubic, aspect ratio not kept), crop
/// (random offset per clip in training, centred in evaluation), scale to [0,1] and normalise. Returns float32
/// (n, 3, CropHeight, CropWidth). Cropping before normalising gives the same values as the reference's order
/// (normalisation is per pixel) with less work.
/// </summary>
public sealed class ClipTransform(FrameOptions frames, AugmentationOptions augmentation)
{
    public FrameOptions Frames { get; } = frames;
    public AugmentationOptions Augmentation { get; } = augmentation;

    public Tensor Apply(Tensor clip, bool training, Random rng)
    {
        var parameters = training && Augmentation.Enabled ? ClipAugmentation.Draw(Augmentation, rng) : ClipAugmentation.None;
        var (top, left) = training
            ? (rng.Next(0, Frames.ResizeHeight - Frames.CropHeight + 1), rng.Next(0, Frames.ResizeWidth - Frames.CropWidth + 1))
            : ((Frames.ResizeHeight - Frames.CropHeight) / 2, (Frames.ResizeWidth - Frames.CropWidth) / 2);
        return Apply(clip, parameters, top, left);
    }

    /// <summary>The deterministic part, given the drawn parameters and crop offset.</summary>
    public Tensor Apply(Tensor clip, ClipAugmentation parameters, int top, int left)
    {
        if (clip.dim() != 4 || clip.shape[1] != 3)
            throw new ArgumentException($"expected a clip of shape (n, 3, H, W), got ({string.Join(", ", clip.shape)})", nameof(clip));
        if (Frames.CropHeight > Frames.ResizeHeight || Frames.CropWidth > Frames.ResizeWidth)
            throw new InvalidOperationException("the crop must not be larger than the resized frame");
        using var scope = NewDisposeScope();
        var x = clip.to_type(ScalarType.Float32);
        if (parameters.RotationDegrees is { } angle)
            x = TF.rotate(x, (float)angle, InterpolationMode.Nearest, expand: false, fill: [0f]);
        if (parameters.Rescale is { } factor)
        {
            var height = Math.Max(1, (int)Math.Round(x.shape[2] * factor));
            var width = Math.Max(1, (int)Math.Round(x.shape[3] * factor));
            x = nn.functional.interpolate(x, [height, width], mode: InterpolationMode.Bilinear, align_corners: false).clamp(0, 255);
        }
        if (parameters.Translation is { } shift)
            x = Translate(x, shift.Dx, shift.Dy);

        // Like PIL's bicubic resize of 8-bit images: antialiased, then rounded and clipped back to 0..255.
        x = nn.functional.interpolate(x, [Frames.ResizeHeight, Frames.ResizeWidth], mode: InterpolationMode.Bicubic,
            align_corners: false, antialias: true).round().clamp(0, 255);
        x = x[.., .., top..(top + Frames.CropHeight), left..(left + Frames.CropWidth)];

        var mean = tensor(Frames.Mean.Select(v => (float)v).ToArray()).view(1, 3, 1, 1);
        var std = tensor(Frames.Std.Select(v => (float)v).ToArray()).view(1, 3, 1, 1);
        return ((x / 255f - mean) / std).contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>Shifts content by whole pixels (right/down for positive dx/dy), filling with black.</summary>
    private static Tensor Translate(Tensor x, int dx, int dy)
    {
        var (height, width) = ((int)x.shape[2], (int)x.shape[3]);
        var result = zeros_like(x);
        if (Math.Abs(dx) >= width || Math.Abs(dy) >= height) return result;
        var source = x[.., .., Math.Max(-dy, 0)..(height - Math.Max(dy, 0)), Math.Max(-dx, 0)..(width - Math.Max(dx, 0))];
        result[.., .., Math.Max(dy, 0)..(height - Math.Max(-dy, 0)), Math.Max(dx, 0)..(width - Math.Max(-dx, 0))] = source;
        return result;
    }
}
