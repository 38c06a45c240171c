using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SignTranslate.Models;

/// <summary>
/// torchvision's <c>resnet18</c> with <c>fc</c> replaced by identity: frames [N,3,H,W] → pooled features [N,512].
/// Parameter and buffer names are torchvision's (<c>conv1</c>, <c>bn1</c>, <c>layer2.0.downsample.1.running_var</c>, …),
/// so a PyTorch state dict loads by name.
/// </summary>
public sealed class ResNet18 : Module<Tensor, Tensor>
{
    /// <summary>Width of the pooled output feature.</summary>
    public const int FeatureSize = 512;

    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly Sequential layer1;
    private readonly Sequential layer2;
    private readonly Sequential layer3;
    private readonly Sequential layer4;

    public ResNet18(string name = "resnet") : base(name)
    {
        conv1 = Conv2d(3, 64, 7, stride: 2, padding: 3, bias: false);
        bn1 = BatchNorm2d(64);
        layer1 = Stage(64, 64, stride: 1);
        layer2 = Stage(64, 128, stride: 2);
        layer3 = Stage(128, 256, stride: 2);
        layer4 = Stage(256, 512, stride: 2);
        RegisterComponents();
        InitializeLikeTorchvision();
    }

    /// <summary>
    /// Training keeps only the inputs of the stem and of each BasicBlock and recomputes the rest in backward
    /// (<see cref="ActivationCheckpoint"/>, <see cref="ChunkedResNetStem"/>). Default false.
    /// </summary>
    public bool CheckpointActivations { get; set; }

    /// <summary>
    /// Frames per pass where the result does not depend on it: every forward in evaluation mode (evaluation,
    /// translation), and the stem of a checkpointed training step. 0 (default): all frames at once; a checkpointed
    /// stem then takes <see cref="DefaultStemChunk"/>.
    /// </summary>
    public int FrameChunk { get; set; }

    /// <summary>Frames per stem chunk of a checkpointed step when <see cref="FrameChunk"/> is 0.</summary>
    public const int DefaultStemChunk = 16;

    // frames [N,3,H,W] -> [N,512]
    public override Tensor forward(Tensor frames)
    {
        if (!training && FrameChunk > 0 && frames.shape[0] > FrameChunk)
        {
            // In evaluation mode BatchNorm uses its running statistics, so every frame is independent of the others and
            // chunks give the same features with a fraction of the activations. (In training mode the batch statistics
            // span all frames, even when the network is frozen.)
            var parts = new List<Tensor>();
            for (long start = 0; start < frames.shape[0]; start += FrameChunk)
                using (var chunk = frames.narrow(0, start, Math.Min(FrameChunk, frames.shape[0] - start)))
                    parts.Add(Frames(chunk));
            var features = cat(parts, 0);
            foreach (var part in parts) part.Dispose();
            return features;
        }
        var recording = is_grad_enabled() && parameters().Any(p => p.requires_grad);
        return recording && training && CheckpointActivations ? CheckpointedFrames(frames) : Frames(frames);
    }

    // Each intermediate is released as soon as the next layer has it (what autograd saved for backward lives on until
    // backward frees it), and ReLU works in place as torchvision's does: a step's dispose scope would otherwise keep
    // every activation of the network alive until the step ends (docs/models.md#memory).
    private Tensor Frames(Tensor frames)
    {
        Tensor x;
        using (var stem = conv1.call(frames))
        using (var normalised = bn1.call(stem).relu_())                          // [N,64,H/2,W/2]
            x = functional.max_pool2d(normalised, kernel_size: 3, stride: 2, padding: 1);   // [N,64,H/4,W/4]
        return Head(Blocks(x, block => block.call));
    }

    private Tensor CheckpointedFrames(Tensor frames)
    {
        var x = ChunkedResNetStem.Apply(conv1, bn1, frames, FrameChunk > 0 ? FrameChunk : DefaultStemChunk);
        return Head(Blocks(x, block => input => ActivationCheckpoint.Run(block, inputs => block.call(inputs[0]), stochastic: false, input)));
    }

    // [N,64,H/4,W/4] through layer1..layer4 -> [N,512,H/32,W/32]; consumes x.
    private Tensor Blocks(Tensor x, Func<Module<Tensor, Tensor>, Func<Tensor, Tensor>> run)
    {
        foreach (var stage in new[] { layer1, layer2, layer3, layer4 })
            foreach (var block in stage.children().Cast<Module<Tensor, Tensor>>())
            {
                var next = run(block)(x);
                x.Dispose();
                x = next;
            }
        return x;
    }

    // [N,512,h,w] -> [N,512]; consumes x.
    private static Tensor Head(Tensor x)
    {
        using (x)
        using (var pooled = functional.adaptive_avg_pool2d(x, 1))
            return pooled.flatten(1);
    }

    private static Sequential Stage(int inChannels, int outChannels, int stride) =>
        Sequential(new BasicBlock(inChannels, outChannels, stride), new BasicBlock(outChannels, outChannels, 1));

    // torchvision: kaiming_normal_(fan_out, relu) for convs, BN weight 1 / bias 0.
    private void InitializeLikeTorchvision()
    {
        using var _ = no_grad();
        foreach (var module in modules())
        {
            if (module is Conv2d conv)
                init.kaiming_normal_(conv.weight, mode: init.FanInOut.FanOut, nonlinearity: init.NonlinearityType.ReLU);
        }
    }

    /// <summary>torchvision's BasicBlock: two 3×3 convs with BN, identity or 1×1-conv shortcut.</summary>
    private sealed class BasicBlock : Module<Tensor, Tensor>
    {
        private readonly Conv2d conv1;
        private readonly BatchNorm2d bn1;
        private readonly Conv2d conv2;
        private readonly BatchNorm2d bn2;
        private readonly Sequential? downsample;

        public BasicBlock(int inChannels, int outChannels, int stride) : base(nameof(BasicBlock))
        {
            conv1 = Conv2d(inChannels, outChannels, 3, stride: stride, padding: 1, bias: false);
            bn1 = BatchNorm2d(outChannels);
            conv2 = Conv2d(outChannels, outChannels, 3, stride: 1, padding: 1, bias: false);
            bn2 = BatchNorm2d(outChannels);
            if (stride != 1 || inChannels != outChannels)
                downsample = Sequential(Conv2d(inChannels, outChannels, 1, stride: stride, bias: false), BatchNorm2d(outChannels));
            RegisterComponents();
        }

        // x [N,Cin,H,W] -> [N,Cout,H/stride,W/stride]; the sum and the last ReLU are in place, as torchvision's
        // `out += identity; relu(out)` (batch norm saves its input, not its output, so overwriting the output is safe).
        public override Tensor forward(Tensor x)
        {
            using var projected = downsample?.call(x);
            Tensor y;
            using (var h = conv1.call(x))
            using (var a = bn1.call(h).relu_())
            using (var h2 = conv2.call(a))
                y = bn2.call(h2);
            return y.add_(projected ?? x).relu_();
        }
    }
}
