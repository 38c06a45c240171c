using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace SignTranslate.Losses;

/// <summary>
/// Σ weight · softplus(sign · (‖x_anchor − x_sample‖₁ − δ)) over a <see cref="DrawLayout"/>, with a hand-written
/// backward. Autograd's chain (gather, sub, abs, sum, softplus, each with its own backward) makes about ten passes over
/// the [B, A, S, D] differences; this makes six (gather, in-place sub, abs-sum; sign·coefficient, scatter-add,
/// anchor sum), which is what keeps SignCL cheap at T = 256–400. First derivatives only (no double backward).
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

        var (anchors, samples) = layout.Gather(features);                 // [B, A, D], [B, A, S, D]
        var differences = samples.sub_(anchors.unsqueeze(2));              // in place: the gather made a fresh tensor
        var distances = linalg.vector_norm(differences, 1, [-1], false);   // [B, A, S] L1, without an abs temporary
        var signs = layout.SignsTensor(features);                          // [1|B, A, S]
        var weights = layout.WeightsTensor(features);
        var arguments = signs * (distances - maxDistance);                 // softplus(d − δ) or softplus(δ − d)

        ctx.save_for_backward([differences, arguments, signs * weights]);
        ctx.save_data(LayoutKey, layout);
        return (F.softplus(arguments) * weights).sum();
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        var saved = ctx.get_saved_variables();
        var (differences, arguments, signedWeights) = (saved[0], saved[1], saved[2]);
        var layout = (DrawLayout)ctx.get_data(LayoutKey);

        var softplusSlope = where(arguments > SoftplusThreshold, ones_like(arguments), arguments.sigmoid());
        var coefficient = (signedWeights * softplusSlope * grad_output).unsqueeze(-1);  // d loss / d distance, [.., 1]
        var sampleGrad = differences.sign().mul_(coefficient);                          // d loss / d sample, [B, A, S, D]
        // One entry per argument of apply; the layout and δ have no gradient.
        return [layout.Scatter(sampleGrad), null!, null!];
    }
}
