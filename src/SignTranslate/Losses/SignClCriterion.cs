using static TorchSharp.torch;

namespace SignTranslate.Losses;

/// <summary>
/// The configured SignCL objective as the trainer calls it: draws indices with the injected sampler and evaluates
/// the variant and normalisation chosen in <see cref="SignClOptions"/>. The trainer multiplies the result by λ.
/// </summary>
public sealed class SignClCriterion(SignClOptions options, ISignClSampler sampler)
{
    /// <summary>The usual construction: draws from a <see cref="SeededSignClSampler"/> (seed + rank, like the
    /// reference's per-process <c>random</c> seed).</summary>
    public SignClCriterion(SignClOptions options, int seed)
        : this(options, new SeededSignClSampler(seed))
    {
    }

    public SignClOptions Options { get; } = options;

    /// <summary>The margin of a clip by the configured rule (<see cref="SignClMargin.Compute"/>).</summary>
    public int MarginFor(int frames, int tokens) => SignClMargin.Compute(Options, frames, tokens);

    /// <summary>
    /// The loss of frame features [B, T, D] with one margin for the batch (the training-script rule computes it from the
    /// padded sizes). <paramref name="lengths"/> are the real frame counts (null: all T); only the masked mode uses them.
    /// </summary>
    public Tensor Compute(Tensor features, IReadOnlyList<int>? lengths, int margin)
    {
        var batch = (int)features.shape[0];
        return Compute(features, lengths, Enumerable.Repeat(margin, batch).ToArray());
    }

    /// <summary>
    /// The loss with one margin per sequence (masked mode; the reference mode needs them all equal, since it draws
    /// once for the batch).
    /// </summary>
    public Tensor Compute(Tensor features, IReadOnlyList<int>? lengths, IReadOnlyList<int> margins)
    {
        if (features.dim() != 3)
            throw new ArgumentException($"SignCL expects features [B, T, D]; got {features.dim()} dimensions.", nameof(features));
        var (batch, frames) = ((int)features.shape[0], (int)features.shape[1]);
        if (margins.Count != batch)
            throw new ArgumentException($"{margins.Count} margins for a batch of {batch}.", nameof(margins));
        if (lengths is not null && lengths.Count != batch)
            throw new ArgumentException($"{lengths.Count} lengths for a batch of {batch}.", nameof(lengths));

        var positives = Options.PositiveSamples;
        var negatives = Options.NegativesForVariant;
        if (!Options.Masked)
        {
            if (margins.Distinct().Count() > 1)
                throw new ArgumentException("The reference (unmasked) SignCL draws once per batch and needs a single margin.", nameof(margins));
            if (frames < SequenceDraw.MinimumFrames)
                return Skipped(features, frames);
            var draw = sampler.Draw(frames, margins[0], positives, negatives);
            return Options.Variant == SignClVariant.InfoNce
                ? SignInfoNceLoss.Reference(features, draw, Options.Temperature)
                : SignClLoss.Reference(features, draw, Options.MaxDistance);
        }

        var draws = new SequenceDraw?[batch];
        for (var b = 0; b < batch; b++)
        {
            var length = lengths?[b] ?? frames;
            if (length < 0 || length > frames)
                throw new ArgumentOutOfRangeException(nameof(lengths), length, $"sequence {b} length must lie in 0..{frames}");
            // Short sequences take no draw, so the sampler's stream depends only on the usable sequences.
            draws[b] = length < SequenceDraw.MinimumFrames ? null : sampler.Draw(length, margins[b], positives, negatives);
        }
        return Options.Variant == SignClVariant.InfoNce
            ? SignInfoNceLoss.Masked(features, draws, Options.Temperature)
            : SignClLoss.Masked(features, draws, Options.MaxDistance);
    }

    private static Tensor Skipped(Tensor features, int frames)
    {
        Serilog.Log.Debug("SignCL skipped: {Frames} frames is fewer than {Minimum}", frames, SequenceDraw.MinimumFrames);
        return zeros([], dtype: features.dtype, device: features.device);
    }
}
