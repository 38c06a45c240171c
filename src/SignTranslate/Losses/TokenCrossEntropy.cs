using static TorchSharp.torch;

namespace SignTranslate.Losses;

/// <summary>The translation and masked-text losses: cross-entropy over all target positions, padding ignored, label-smoothed.</summary>
public static class TokenCrossEntropy
{
    /// <summary>logits [B,L,V], targets [B,L] → mean loss over the non-pad targets.</summary>
    public static Tensor Compute(Tensor logits, Tensor targets, long padId, double labelSmoothing) =>
        nn.functional.cross_entropy(
            logits.reshape(-1, logits.shape[^1]), targets.reshape(-1),
            ignore_index: padId, label_smoothing: labelSmoothing);
}
