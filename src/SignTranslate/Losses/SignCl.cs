using Serilog;
using TorchSharp;
using static TorchSharp.torch;

namespace SignTranslate.Losses;

/// <summary>
/// SignCL (NeurIPS'24), the frame-contrastive criterion both training stages add to their loss
/// (docs/reference.md#s6.1), in one place: the margin rule, the sampling of positives and negatives, and the loss.
/// Its settings are <see cref="SignClOptions"/> (SignClOptions.cs, beside this file).
/// <para>
/// Per anchor frame i of a sequence: mean softplus(‖x_i − x_p‖₁ − δ) over its positives (its neighbours) + mean
/// softplus(δ − ‖x_i − x_n‖₁) over its negatives (frames more than the margin away), docs/reference.md#s6.3. The
/// reference computation draws once for the batch over the padded length T and divides the anchor sum by B·(T − 4);
/// the masked one draws per sequence over its real length and averages per sequence (<see cref="SignClOptions.Masked"/>).
/// The <see cref="SignClVariant.InfoNce"/> variant scores the same draws with dot-product logits instead
/// (docs/reference.md#s6.6). Every anchor of the batch is computed at once (docs/reference.md#s6.7): the draws are laid
/// out as arrays (<see cref="BatchDraws"/>, <see cref="DrawLayout"/>) and SignCL's distances and gradient are one fused
/// function (<see cref="SignClSumFunction"/>).
/// </para>
/// </summary>
/// <param name="sampler">Draws the positives and negatives; training uses <see cref="SeededSignClSampler"/>, tests and
/// benchmarks may replay recorded draws.</param>
public sealed class SignCl(SignClOptions options, ISignClSampler sampler)
{
    /// <summary>The training construction: draws from a <see cref="SeededSignClSampler"/> (the reference seeds Python's
    /// <c>random</c> per process).</summary>
    public SignCl(SignClOptions options, int seed)
        : this(options, new SeededSignClSampler(seed))
    {
    }

    public SignClOptions Options { get; } = options;

    /// <summary>
    /// The unweighted loss of a training batch (the stage multiplies it by λ). <paramref name="features"/> are the
    /// padded per-frame features [B, T, F]; <paramref name="frames"/> each video's frame count (its padded length);
    /// <paramref name="textMask"/> the batch's text attention mask [B, L] as the host holds it: its width and row sums
    /// are the token counts of the margin rule, and a host tensor is read without waiting for the device.
    /// </summary>
    public Tensor BatchLoss(Tensor features, IReadOnlyList<int> frames, Tensor textMask)
    {
        if (textMask.device_type != DeviceType.CPU)
            throw new ArgumentException("SignCL reads the token counts from the host copy of the text mask, not one on the device.", nameof(textMask));
        var paddedTokens = (int)textMask.shape[1];
        // The reference's rule sees the padded sizes of the batch; the masked mode each clip's own.
        if (!Options.Masked)
            return Compute(features, null, MarginFor((int)features.shape[1], paddedTokens));
        var tokens = textMask.sum(1).data<long>().ToArray();
        return Compute(features, frames, frames.Select((length, b) => MarginFor(length, (int)tokens[b])).ToArray());
    }

    /// <summary>The loss of features [B, T, D] with one margin for the batch; <paramref name="lengths"/> are the real
    /// frame counts (null: all T), used by the masked mode only.</summary>
    public Tensor Compute(Tensor features, IReadOnlyList<int>? lengths, int margin) =>
        Compute(features, lengths, Enumerable.Repeat(margin, (int)features.shape[0]).ToArray());

    /// <summary>The loss with one margin per sequence (masked mode; the reference mode draws once for the batch and
    /// needs them all equal).</summary>
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
            {
                Log.Debug("SignCL skipped: {Frames} frames is fewer than {Minimum}", frames, SequenceDraw.MinimumFrames);
                return zeros([], dtype: features.dtype, device: features.device);
            }
            var draw = sampler.Draw(frames, margins[0], positives, negatives);
            return Options.Variant == SignClVariant.InfoNce
                ? InfoNceReference(features, draw, Options.Temperature)
                : Reference(features, draw, Options.MaxDistance);
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
            ? InfoNceMasked(features, draws, Options.Temperature)
            : Masked(features, draws, Options.MaxDistance);
    }

    // ----- The margin rule (docs/reference.md#s6.2): negatives lie more than the margin away from their anchor. -----

    /// <summary>The margin of a clip by the configured rule (<see cref="Margin"/>).</summary>
    public int MarginFor(int frames, int tokens) => Margin(Options, frames, tokens);

    /// <summary>
    /// The margin for a clip of <paramref name="frames"/> frames whose text has <paramref name="tokens"/> tokens. For
    /// <see cref="SignClMarginRule.TrainingScript"/> pass the padded batch sizes (frame count of the feature tensor,
    /// token count including <c>&lt;/s&gt;</c> and the lang code); for the paper and README rules the real counts.
    /// </summary>
    public static int Margin(SignClOptions options, int frames, int tokens)
    {
        var margin = RawMargin(options.MarginRule, frames, tokens, options.FixedMargin);
        return options.ClampMarginToAtLeastOne ? Math.Max(1, margin) : margin;
    }

    /// <summary>The rule's value before the optional clamp to ≥ 1 (may be negative for the training-script rule).</summary>
    public static int RawMargin(SignClMarginRule rule, int frames, int tokens, int fixedMargin = 20)
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

    // ----- The loss for given draws, vectorised over every anchor of the batch. -----

    /// <summary>
    /// The reference computation: <paramref name="draw"/> (for T frames) is shared by every sequence, the padded frames
    /// take part, and the anchor sum is divided by B·(T − 4). Equals <c>SignCL.forward</c> for the same draws, except
    /// that an empty sample set gives 0 instead of NaN. T &lt; 5 gives 0.
    /// </summary>
    public static Tensor Reference(Tensor features, SequenceDraw draw, double maxDistance) =>
        SignClSum(features, BatchDraws.Reference(features, draw, averageWithinAnchor: true), maxDistance);

    /// <summary>
    /// The masked computation: sequence b uses <paramref name="draws"/>[b], drawn over its real length, so padded
    /// frames are never anchors, positives or negatives. The loss is the mean over each sequence's anchors, averaged over
    /// the sequences of at least 5 frames (a null draw or a shorter sequence is skipped; none left gives 0).
    /// </summary>
    public static Tensor Masked(Tensor features, IReadOnlyList<SequenceDraw?> draws, double maxDistance) =>
        SignClSum(features, BatchDraws.Masked(features, draws, averageWithinAnchor: true), maxDistance);

    /// <summary>SignInfoNCE with the reference computation: a shared draw, terms summed over the batch and positives,
    /// divided by B·(T − 4). T &lt; 5 gives 0.</summary>
    public static Tensor InfoNceReference(Tensor features, SequenceDraw draw, double temperature) =>
        InfoNceSum(features, BatchDraws.Reference(features, draw, averageWithinAnchor: false), temperature);

    /// <summary>SignInfoNCE with the masked computation: per-sequence draws over real lengths; each anchor's summed
    /// positive terms are averaged over the sequence's anchors, then over the sequences of at least 5 frames.</summary>
    public static Tensor InfoNceMasked(Tensor features, IReadOnlyList<SequenceDraw?> draws, double temperature) =>
        InfoNceSum(features, BatchDraws.Masked(features, draws, averageWithinAnchor: false), temperature);

    private static Tensor SignClSum(Tensor features, DrawLayout? layout, double maxDistance) =>
        layout is null || layout.IsEmpty
            ? zeros([], dtype: features.dtype, device: features.device)
            : SignClSumFunction.Apply(features, layout, maxDistance);

    /// <summary>Per anchor, logits = ⟨x_i, x_s⟩/τ over its samples [positives; negatives] (raw dot products, no
    /// normalisation), and each positive adds −log softmax(logits)_p.</summary>
    private static Tensor InfoNceSum(Tensor features, DrawLayout? layout, double temperature)
    {
        if (layout is null || layout.IsEmpty)
            return zeros([], dtype: features.dtype, device: features.device);

        var (anchors, samples) = layout.Gather(features);                                // [B, A, D], [B, A, S, D]
        var logits = (samples * anchors.unsqueeze(2)).sum(-1) / temperature;           // [B, A, S]
        // Padding columns get −∞ logits: zero probability, and masked_fill gives them zero gradient.
        var isSample = layout.IsSampleTensor(features);
        var logProbabilities = logits.masked_fill(isSample.logical_not(), double.NegativeInfinity).log_softmax(-1);
        var positiveTerms = where(layout.IsPositiveTensor(features), logProbabilities.neg(), zeros_like(logProbabilities));
        return (positiveTerms * layout.WeightsTensor(features)).sum();
    }
}

// ----- Sampling: which frames are an anchor's positives and negatives. -----

/// <summary>The frame indices drawn for one anchor frame: its positives and its negatives, in draw order.</summary>
public sealed record AnchorDraw(int Anchor, IReadOnlyList<int> Positives, IReadOnlyList<int> Negatives);

/// <summary>
/// The draws for one sequence of <paramref name="Frames"/> frames: one <see cref="AnchorDraw"/> per anchor frame
/// 1 .. Frames − 3, in that order. In the reference (unmasked) computation one such draw is shared by the whole batch.
/// </summary>
public sealed record SequenceDraw(int Frames, IReadOnlyList<AnchorDraw> Anchors)
{
    /// <summary>Fewer frames than this give no loss: the reference normaliser T − 4 is not positive below it.</summary>
    public const int MinimumFrames = 5;

    /// <summary>Anchor frames 1 .. frames − 3 of a sequence (none when frames &lt; 4).</summary>
    public static IEnumerable<int> AnchorFrames(int frames) => Enumerable.Range(1, Math.Max(0, frames - 3));
}

/// <summary>
/// Draws the positive and negative frames of every anchor of one sequence. Injectable so that tests and benchmarks can
/// replay recorded draws; training uses <see cref="SeededSignClSampler"/>.
/// </summary>
public interface ISignClSampler
{
    /// <summary>
    /// Draws for anchors 1 .. <paramref name="frames"/> − 3: up to <paramref name="positiveSamples"/> of the neighbours
    /// {i − 1, i + 1}, and up to <paramref name="negativeSamples"/> distinct frames j in [2, frames − 3] with
    /// j &lt; i − margin or j &gt; i + margin.
    /// </summary>
    SequenceDraw Draw(int frames, int margin, int positiveSamples, int negativeSamples);
}

/// <summary>
/// The reference sampling rule (<c>random.sample</c> without replacement, per anchor) driven by a seeded
/// <see cref="Random"/>, so a run repeats exactly for a given seed. The draws happen on the host, before any tensor
/// is touched. The index sequence differs from Python's <c>random</c>; replay recorded draws when exact indices matter.
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
