using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SignTranslate.Models;

/// <summary>
/// ResNet's stem, <c>conv1</c> (7×7, stride 2) → <c>bn1</c> with training statistics → ReLU → 3×3/2 max-pool, computed a
/// chunk of frames at a time, forward and backward, with nothing but its input kept between them. It is the largest
/// part of the network's activations (at 224 px, 64×112×112 per frame before the pool), and ordinary checkpointing
/// would recompute it whole. BatchNorm ties all frames together through the batch statistics, so each direction takes
/// two passes over the chunks: forward gathers the statistics, then normalises; backward gathers the two per-channel
/// sums BatchNorm's input gradient needs, then forms it (and conv1's weight gradient) chunk by chunk. The result is
/// the plain stem's up to float rounding (the statistics are summed in float64; docs/models.md#memory).
/// </summary>
internal static class ChunkedResNetStem
{
    public static Tensor Apply(Conv2d conv, BatchNorm2d norm, Tensor frames, int chunkFrames)
    {
        var stem = new Stem(norm, chunkFrames);
        var output = StemFunction.apply(stem, frames, conv.weight!, norm.weight!, norm.bias!);
        stem.ForwardOutput?.Dispose();
        stem.ForwardOutput = null;
        return output;
    }

    private sealed class Stem(BatchNorm2d norm, int chunkFrames)
    {
        private const double Momentum = 0.1;
        private const double Epsilon = 1e-5;

        public Tensor? ForwardOutput { get; set; }

        public IEnumerable<(long Start, long Length)> Chunks(long frames)
        {
            for (long start = 0; start < frames; start += chunkFrames)
                yield return (start, Math.Min(chunkFrames, frames - start));
        }

        public Tensor Convolve(Tensor frames, Tensor weight) =>
            functional.conv2d(frames, weight, null, strides: [2, 2], padding: [3, 3], dilation: [1, 1], groups: 1);

        // Pass 1 of the forward: batch mean and inverse standard deviation of conv1's output [C]; updates the running
        // statistics as nn.BatchNorm2d does (unbiased variance, momentum 0.1).
        public (Tensor Mean, Tensor InvStd) Statistics(Tensor frames, Tensor weight)
        {
            // Per-chunk mean and variance (LibTorch accumulates them in float64), combined exactly over the chunks.
            Tensor sum = zeros(weight.shape[0], ScalarType.Float64, frames.device);
            Tensor squares = zeros_like(sum);
            long count = 0;
            foreach (var (start, length) in Chunks(frames.shape[0]))
            {
                using var scope = NewDisposeScope();
                var output = Convolve(frames.narrow(0, start, length), weight);                     // [n,C,H,W]
                var (variance, mean) = var_mean(output, [0, 2, 3], unbiased: false);
                long n = output.shape[0] * output.shape[2] * output.shape[3];
                var chunkMean = mean.to(ScalarType.Float64);
                sum.add_(chunkMean * n);
                squares.add_((variance.to(ScalarType.Float64) + chunkMean.square()) * n);
                count += n;
            }
            var batchMean = sum / count;
            var batchVariance = (squares / count - batchMean.square()).clamp_min(0);               // biased
            var runningMean = norm.running_mean!;
            var runningVar = norm.running_var!;
            runningMean.mul_(1 - Momentum).add_(batchMean.to(runningMean.dtype) * Momentum);
            runningVar.mul_(1 - Momentum).add_((batchVariance * ((double)count / Math.Max(1, count - 1))).to(runningVar.dtype) * Momentum);
            norm.num_batches_tracked?.add_(1);
            return (batchMean.to(weight.dtype), (batchVariance + Epsilon).rsqrt().to(weight.dtype));
        }

        // conv1's output of a chunk to the ReLU's input: normalised x̂ and the pre-activation y = γ·x̂ + β, each [n,C,H,W].
        public static (Tensor Normalised, Tensor PreActivation) Normalise(Tensor convolved, Tensor mean, Tensor invStd, Tensor gamma, Tensor beta)
        {
            var normalised = (convolved - mean.view(1, -1, 1, 1)).mul_(invStd.view(1, -1, 1, 1));
            return (normalised, normalised * gamma.view(1, -1, 1, 1) + beta.view(1, -1, 1, 1));
        }

        public static Tensor Pool(Tensor activation) => functional.max_pool2d(activation, kernel_size: 3, stride: 2, padding: 1);
    }

    private sealed class StemFunction : autograd.SingleTensorFunction<StemFunction>
    {
        private const string StemKey = "stem";

        public override string Name => "ChunkedResNetStem";

        // vars: stem, frames [N,3,H,W], conv1 weight, bn1 weight γ, bn1 bias β → [N,C,H/4,W/4]
        public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
        {
            var stem = (Stem)vars[0];
            var (frames, weight, gamma, beta) = ((Tensor)vars[1], (Tensor)vars[2], (Tensor)vars[3], (Tensor)vars[4]);
            var (mean, invStd) = stem.Statistics(frames, weight);
            Tensor? output = null;
            foreach (var (start, length) in stem.Chunks(frames.shape[0]))
            {
                using var scope = NewDisposeScope();
                var (_, y) = Stem.Normalise(stem.Convolve(frames.narrow(0, start, length), weight), mean, invStd, gamma, beta);
                var pooled = Stem.Pool(y.relu_());
                if (output is null)
                {
                    output = empty([frames.shape[0], pooled.shape[1], pooled.shape[2], pooled.shape[3]], pooled.dtype, pooled.device)
                        .MoveToOuterDisposeScope();
                }
                output.narrow(0, start, length).copy_(pooled);
            }
            stem.ForwardOutput = output;
            ctx.save_for_backward([frames, weight, gamma, beta, mean, invStd]);
            ctx.save_data(StemKey, stem);
            return output!;
        }

        public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
        {
            var stem = (Stem)ctx.get_data(StemKey);
            var saved = ctx.get_saved_variables();
            var (frames, weight, gamma, beta, mean, invStd) = (saved[0], saved[1], saved[2], saved[3], saved[4], saved[5]);
            var chunks = stem.Chunks(frames.shape[0]).ToList();
            var channels = weight.shape[0];

            // Pass A: Σ ∂L/∂y and Σ ∂L/∂y·x̂ per channel, which are also β's and γ's gradients.
            var gradBeta = zeros(channels, ScalarType.Float64, frames.device);
            var gradGamma = zeros_like(gradBeta);
            long count = 0;
            foreach (var (start, length) in chunks)
            {
                using var scope = NewDisposeScope();
                var convolved = stem.Convolve(frames.narrow(0, start, length), weight);
                var (normalised, gradY) = PreActivationGradient(convolved, grad_output.narrow(0, start, length), mean, invStd, gamma, beta);
                gradBeta.add_(gradY.sum([0, 2, 3], type: ScalarType.Float64));
                gradGamma.add_((gradY * normalised).sum([0, 2, 3], type: ScalarType.Float64));
                count += gradY.shape[0] * gradY.shape[2] * gradY.shape[3];
            }

            // Pass B: BatchNorm's input gradient γ·σ⁻¹·(∂L/∂y − mean(∂L/∂y) − x̂·mean(∂L/∂y·x̂)), then conv1's weight gradient.
            var meanGradY = (gradBeta / count).to(weight.dtype).view(1, -1, 1, 1);
            var meanGradYx = (gradGamma / count).to(weight.dtype).view(1, -1, 1, 1);
            var scale = (gamma * invStd).view(1, -1, 1, 1);
            var gradWeight = zeros_like(weight);
            foreach (var (start, length) in chunks)
            {
                using var scope = NewDisposeScope();
                var leaf = weight.detach().requires_grad_();
                Tensor convolved;
                using (enable_grad()) convolved = stem.Convolve(frames.narrow(0, start, length), leaf);
                var (normalised, gradY) = PreActivationGradient(convolved.detach(), grad_output.narrow(0, start, length), mean, invStd, gamma, beta);
                var gradConv = gradY.sub_(meanGradY).sub_(normalised.mul_(meanGradYx)).mul_(scale);
                gradWeight.add_(autograd.grad([convolved], [leaf], [gradConv])[0]);
            }
            grad_output.Dispose();
            return [null!, null!, gradWeight, gradGamma.to(gamma.dtype), gradBeta.to(beta.dtype)];
        }

        // One chunk's x̂ and ∂L/∂y (through the pool and the ReLU) from its conv1 output and the gradient of its pooled output.
        private static (Tensor Normalised, Tensor GradY) PreActivationGradient(Tensor convolved, Tensor gradOutput,
            Tensor mean, Tensor invStd, Tensor gamma, Tensor beta)
        {
            var (normalised, y) = Stem.Normalise(convolved, mean, invStd, gamma, beta);
            using var _ = enable_grad();
            var activation = y.relu().requires_grad_();
            var pooled = Stem.Pool(activation);
            var gradActivation = autograd.grad([pooled], [activation], [gradOutput])[0];
            return (normalised, gradActivation.mul_(y.gt(0)));
        }
    }
}
