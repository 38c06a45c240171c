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

    // frames [N,3,H,W] -> [N,512]
    public override Tensor forward(Tensor frames)
    {
        var x = functional.relu(bn1.call(conv1.call(frames)));                    // [N,64,H/2,W/2]
        x = functional.max_pool2d(x, kernel_size: 3, stride: 2, padding: 1);      // [N,64,H/4,W/4]
        x = layer4.call(layer3.call(layer2.call(layer1.call(x))));                // [N,512,H/32,W/32]
        return functional.adaptive_avg_pool2d(x, 1).flatten(1);                   // [N,512]
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

        // x [N,Cin,H,W] -> [N,Cout,H/stride,W/stride]
        public override Tensor forward(Tensor x)
        {
            var shortcut = downsample is null ? x : downsample.call(x);
            var y = functional.relu(bn1.call(conv1.call(x)));
            y = bn2.call(conv2.call(y));
            return functional.relu(y + shortcut);
        }
    }
}
