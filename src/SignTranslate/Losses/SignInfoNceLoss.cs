using static TorchSharp.torch;

namespace SignTranslate.Losses;

/// <summary>
/// SignInfoNCE (docs/reference.md#s6.6), vectorised: per anchor, logits = ⟨x_i, x_s⟩/τ over its samples [positives;
/// negatives] (raw dot products, no normalisation), and each positive adds −log softmax(logits)_p.
/// </summary>
public static class SignInfoNceLoss
{
    /// <summary>The reference computation: a shared draw, terms summed over the batch and positives, divided by
    /// B·(T − 4). T &lt; 5 gives 0.</summary>
    public static Tensor Reference(Tensor features, SequenceDraw draw, double temperature) =>
        Sum(features, BatchDraws.Reference(features, draw, averageWithinAnchor: false), temperature);

    /// <summary>The masked computation: per-sequence draws over real lengths; each anchor's summed positive terms are
    /// averaged over the sequence's anchors, then over the sequences of at least 5 frames.</summary>
    public static Tensor Masked(Tensor features, IReadOnlyList<SequenceDraw?> draws, double temperature) =>
        Sum(features, BatchDraws.Masked(features, draws, averageWithinAnchor: false), temperature);

    private static Tensor Sum(Tensor features, DrawLayout? layout, double temperature)
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
