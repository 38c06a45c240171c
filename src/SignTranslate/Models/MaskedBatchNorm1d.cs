using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SignTranslate.Models;

/// <summary>
/// BatchNorm1d over [B,C,T] whose training statistics can skip padded time steps. Without a mask (or in eval mode)
/// it is exactly <c>nn.BatchNorm1d</c>: batch mean and biased variance normalise, the running variance takes the
/// unbiased one, momentum 0.1, eps 1e-5. With a mask [B,T] (true = real) only real steps enter the statistics, which
/// is the corrected behaviour of docs/reference.md#s11.9. Parameter and buffer names are BatchNorm's.
/// </summary>
public sealed class MaskedBatchNorm1d : Module
{
    private readonly Parameter weight;
    private readonly Parameter bias;
    private readonly Tensor running_mean;
    private readonly Tensor running_var;
    private readonly Tensor num_batches_tracked;
    private readonly double eps;
    private readonly double momentum;

    public MaskedBatchNorm1d(long features, double eps = 1e-5, double momentum = 0.1, string name = "bn") : base(name)
    {
        weight = new Parameter(ones(features));
        bias = new Parameter(zeros(features));
        running_mean = zeros(features);
        running_var = ones(features);
        num_batches_tracked = tensor(0L);
        register_buffer("running_mean", running_mean);
        register_buffer("running_var", running_var);
        register_buffer("num_batches_tracked", num_batches_tracked);
        this.eps = eps;
        this.momentum = momentum;
        RegisterComponents();
    }

    /// <summary>
    /// x [B,C,T]; mask [B,T] (bool or 0/1), or null to use every step; <paramref name="realSteps"/> the number of true
    /// entries of the mask, which the callers know on the host: counting them on the device would make the host wait
    /// for it at every training step. Returns [B,C,T].
    /// </summary>
    public Tensor Forward(Tensor x, Tensor? mask, long realSteps)
    {
        if (!training)
            return Normalise(x, running_mean, running_var);

        Tensor mean, biasedVar;
        var weights = mask?.to(x.dtype).unsqueeze(1);                                       // [B,1,T]
        var count = mask is null ? 0 : realSteps;
        if (count == 0)
        {
            // No mask, or a mask that selects nothing: plain BatchNorm statistics over every step.
            count = x.shape[0] * x.shape[2];
            mean = x.mean(new long[] { 0, 2 });
            biasedVar = x.var(new long[] { 0, 2 }, unbiased: false);
        }
        else
        {
            mean = (x * weights!).sum(new long[] { 0, 2 }) / count;                         // [C]
            biasedVar = ((x - mean.view(1, -1, 1)).square() * weights!).sum(new long[] { 0, 2 }) / count;
        }

        using (no_grad())
        {
            var unbiased = count > 1 ? biasedVar * ((double)count / (count - 1)) : biasedVar;
            running_mean.mul_(1 - momentum).add_(mean.detach() * momentum);
            running_var.mul_(1 - momentum).add_(unbiased.detach() * momentum);
            num_batches_tracked.add_(1);
        }
        return Normalise(x, mean, biasedVar);
    }

    private Tensor Normalise(Tensor x, Tensor mean, Tensor variance) =>
        (x - mean.view(1, -1, 1)) / (variance.view(1, -1, 1) + eps).sqrt() * weight.view(1, -1, 1) + bias.view(1, -1, 1);
}
