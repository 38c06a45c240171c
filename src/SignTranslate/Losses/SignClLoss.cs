using static TorchSharp.torch;

namespace SignTranslate.Losses;

/// <summary>
/// SignCL (NeurIPS'24) over frame features [B, T, D], vectorised: every anchor, positive and negative of the batch is
/// gathered at once and one L1 distance computation covers them all (docs/reference.md#s6.3, docs/reference.md#s6.7).
/// Per anchor i: mean softplus(‖x_i − x_p‖₁ − δ) over positives + mean softplus(δ − ‖x_i − x_n‖₁) over negatives.
/// An empty positive or negative set contributes 0.
/// </summary>
public static class SignClLoss
{
    /// <summary>
    /// The reference computation: <paramref name="draw"/> (for T frames) is shared by every sequence, the padded frames
    /// take part, and the anchor sum is divided by B·(T − 4). Equals <c>SignCL.forward</c> for the same draws, except
    /// that an empty sample set gives 0 instead of NaN. T &lt; 5 gives 0.
    /// </summary>
    public static Tensor Reference(Tensor features, SequenceDraw draw, double maxDistance) =>
        Sum(features, BatchDraws.Reference(features, draw, averageWithinAnchor: true), maxDistance);

    /// <summary>
    /// The masked computation: sequence b uses <paramref name="draws"/>[b], drawn over its real length, so padded
    /// frames are never anchors, positives or negatives. The loss is the mean over each sequence's anchors, averaged over
    /// the sequences of at least 5 frames (a null draw or a shorter sequence is skipped; none left gives 0).
    /// </summary>
    public static Tensor Masked(Tensor features, IReadOnlyList<SequenceDraw?> draws, double maxDistance) =>
        Sum(features, BatchDraws.Masked(features, draws, averageWithinAnchor: true), maxDistance);

    private static Tensor Sum(Tensor features, DrawLayout? layout, double maxDistance)
    {
        if (layout is null || layout.IsEmpty)
            return zeros([], dtype: features.dtype, device: features.device);

        return SignClSumFunction.Apply(features, layout, maxDistance);
    }
}
