using static TorchSharp.torch;

namespace SignTranslate.Losses;

/// <summary>
/// The VLP contrastive loss as the reference codes it (docs/reference.md#s4.6.4, docs/reference.md#s11.18): a KL
/// divergence to the soft target P = row-softmax(10·I), not a cross-entropy. KLLoss(X) = B · mean over all B² elements
/// of P·(log P − log_softmax_row(X)), i.e. the mean over rows of KL(P_r ‖ softmax(X_r)); the total is the average of
/// both directions.
/// </summary>
public static class ClipKlLoss
{
    /// <summary>Sharpness of the soft target: the reference multiplies the identity by 10.</summary>
    public const double TargetSharpness = 10.0;

    /// <summary>logitsPerImage [B,B] and logitsPerText [B,B] → scalar loss ½(KLLoss(S) + KLLoss(Sᵀ)).</summary>
    public static Tensor Compute(Tensor logitsPerImage, Tensor logitsPerText) =>
        (KlToSoftIdentity(logitsPerImage) + KlToSoftIdentity(logitsPerText)) / 2;

    /// <summary>One direction: logits [B,B] → B · mean(P·(log P − log_softmax(logits))).</summary>
    public static Tensor KlToSoftIdentity(Tensor logits)
    {
        var batch = logits.shape[0];
        var target = eye(batch, dtype: logits.dtype, device: logits.device) * TargetSharpness;
        var logTarget = nn.functional.log_softmax(target, 1);
        var logPrediction = nn.functional.log_softmax(logits, 1);
        return (logTarget.exp() * (logTarget - logPrediction)).mean() * batch;
    }
}
