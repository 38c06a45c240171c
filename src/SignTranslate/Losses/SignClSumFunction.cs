using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace SignTranslate.Losses;

/// <summary>
/// Σ weight · softplus(sign · (‖x_anchor − x_sample‖₁ − δ)) over a <see cref="DrawLayout"/>, with a hand-written
/// backward. The work is done one sample column at a time ([B, A, D] per column instead of one [B, A, S, D] block):
/// each column's gather, difference and L1 norm stay in cache, and the backward recomputes a column's differences
/// instead of keeping all of them, which is what keeps SignCL cheap at T = 256–400 (memory traffic, not arithmetic,
/// is its cost). First derivatives only (no double backward).
/// </summary>
internal sealed class SignClSumFunction : autograd.SingleTensorFunction<SignClSumFunction>
{
    private const string LayoutKey = "layout";

    /// <summary>PyTorch's softplus is linear above this input (beta 1, threshold 20); so is its derivative.</summary>
    private const double SoftplusThreshold = 20;

    public override string Name => "SignClSum";

    /// <summary>The loss of <paramref name="features"/> [B, T, D] for the layout's draws and weights.</summary>
    public static Tensor Apply(Tensor features, DrawLayout layout, double maxDistance) => apply(features, layout, maxDistance);

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var features = (Tensor)vars[0];
        var layout = (DrawLayout)vars[1];
        var maxDistance = (double)vars[2];

        var visible = layout.WithoutPadding(features);
        var rows = layout.ColumnIndex(visible.device);                                                      // [S, B·A]
        var distances = stack(Columns(visible, layout, rows).Select(d => linalg.vector_norm(d, 1, [-1], false)), 2); // [B, A, S]
        var signs = layout.SignsTensor(features);                                                            // [1|B, A, S]
        var weights = layout.WeightsTensor(features);
        var arguments = signs * (distances - maxDistance);                 // softplus(d − δ) or softplus(δ − d)

        ctx.save_for_backward([visible, arguments, signs * weights]);
        ctx.save_data(LayoutKey, layout);
        return (F.softplus(arguments) * weights).sum();
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        var saved = ctx.get_saved_variables();
        var (visible, arguments, signedWeights) = (saved[0], saved[1], saved[2]);
        var layout = (DrawLayout)ctx.get_data(LayoutKey);

        var softplusSlope = where(arguments > SoftplusThreshold, ones_like(arguments), arguments.sigmoid());
        var coefficient = (signedWeights * softplusSlope * grad_output).unsqueeze(-1);  // d loss / d distance, [1|B, A, S, 1]

        var dim = visible.shape[2];
        var grad = zeros_like(visible);                                                 // [B, T, D]
        var flatGrad = grad.view(-1, dim);
        var anchorGrad = grad.narrow(1, 1, layout.Anchors);                            // [B, A, D]
        var rows = layout.ColumnIndex(visible.device);                                  // [S, B·A]
        var column = 0;
        foreach (var difference in Columns(visible, layout, rows))
        {
            // d‖a − s‖₁/ds = sign(s − a); the anchor gets the opposite. The column was recomputed, so sign_ may overwrite it.
            var sampleGrad = difference.sign_().mul_(coefficient.select(2, column));   // [B, A, D]
            flatGrad.index_add_(0, rows[column], sampleGrad.view(-1, dim), 1);
            anchorGrad.sub_(sampleGrad);
            column++;
        }
        // One entry per argument of apply; the layout and δ have no gradient.
        return [grad, null!, null!];
    }

    /// <summary>x_sample − x_anchor for each sample column s (rows[s] of <see cref="DrawLayout.ColumnIndex"/>), [B, A, D] each (a fresh tensor per column).</summary>
    private static IEnumerable<Tensor> Columns(Tensor visible, DrawLayout layout, Tensor rows)
    {
        var dim = visible.shape[2];
        var flat = visible.reshape(-1, dim);                                            // [B·T, D]
        var anchors = visible.narrow(1, 1, layout.Anchors);                            // [B, A, D]
        for (var s = 0; s < layout.Width; s++)
            yield return flat.index_select(0, rows[s]).view(layout.Batch, layout.Anchors, dim).sub_(anchors);
    }
}
