using TorchSharp;
using static TorchSharp.torch;

namespace SignTranslate.Metrics;

/// <summary>Points of a 2-D projection and the share of the total variance each axis keeps.</summary>
public sealed record Projection2D(double[] X, double[] Y, double ExplainedVariance1, double ExplainedVariance2);

/// <summary>Principal component analysis down to two dimensions, for pictures of a feature space.</summary>
public static class FeatureProjection
{
    /// <summary>
    /// Projects the rows of <paramref name="features"/> [N, D] onto their first two principal axes (reduced SVD of
    /// the centred matrix). Each axis's sign is fixed so that its largest loading is positive, so the picture is the
    /// same on every run. With D = 1 the second coordinate is 0.
    /// </summary>
    public static Projection2D Principal2D(Tensor features)
    {
        if (features.dim() != 2 || features.shape[0] == 0)
            throw new ArgumentException($"Features must be [N, D] with N ≥ 1, got [{string.Join(", ", features.shape)}].", nameof(features));
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var x = features.detach().cpu().to_type(ScalarType.Float64);   // a small [N, D]: the SVD and the read-back are on the CPU
        var centred = x - x.mean([0], keepdim: true);                                   // [N, D]
        var (_, singular, vh) = torch.linalg.svd(centred, fullMatrices: false);         // vh: [K, D], K = min(N, D)
        var axes = vh[..Math.Min(2, (int)vh.shape[0])];                                 // [≤2, D]
        var largest = axes.abs().argmax(1, keepdim: true);                              // [≤2, 1]
        var signs = axes.gather(1, largest).sign();
        axes = axes * torch.where(signs.eq(0), torch.ones_like(signs), signs);
        var projected = centred.mm(axes.t());                                           // [N, ≤2]

        var variance = singular.square();
        var total = variance.sum().item<double>();
        var shares = total == 0 ? [0.0, 0.0] : (variance / total).data<double>().ToArray();
        var xs = projected[.., 0].contiguous().data<double>().ToArray();
        var ys = projected.shape[1] > 1 ? projected[.., 1].contiguous().data<double>().ToArray() : new double[xs.Length];
        return new Projection2D(xs, ys, shares.Length > 0 ? shares[0] : 0, shares.Length > 1 ? shares[1] : 0);
    }
}
