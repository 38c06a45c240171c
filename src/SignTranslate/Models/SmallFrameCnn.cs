using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SignTranslate.Models;

/// <summary>
/// A small per-frame CNN for CPU configs: four stride-2 3×3 conv + BN + ReLU stages and global average pooling,
/// frames [N,3,H,W] → [N,featureSize]. A stand-in for ResNet-18 when frames are tiny (synthetic data, CI).
/// </summary>
public sealed class SmallFrameCnn : Module<Tensor, Tensor>
{
    private readonly Sequential layers;

    public SmallFrameCnn(int featureSize = ResNet18.FeatureSize, int width = 32, string name = "cnn") : base(name)
    {
        FeatureSize = featureSize;
        UsesLibTorchKernels = HasCheckedShapes(width, featureSize);
        layers = Sequential(
            Conv2d(3, width, 3, stride: 2, padding: 1, bias: false), BatchNorm2d(width), ReLU(),
            Conv2d(width, 2 * width, 3, stride: 2, padding: 1, bias: false), BatchNorm2d(2 * width), ReLU(),
            Conv2d(2 * width, 4 * width, 3, stride: 2, padding: 1, bias: false), BatchNorm2d(4 * width), ReLU(),
            Conv2d(4 * width, featureSize, 3, stride: 2, padding: 1, bias: false), BatchNorm2d(featureSize), ReLU());
        RegisterComponents();
    }

    public int FeatureSize { get; }

    /// <summary>True when the convolutions run on LibTorch's kernels; false when on <see cref="GemmConvolution"/>.</summary>
    public bool UsesLibTorchKernels { get; }

    /// <summary>Whether a width and feature size give channel counts at which LibTorch's convolutions are exact.</summary>
    public static bool HasCheckedShapes(int width, int featureSize) =>
        width >= 16 && featureSize >= 16 && int.IsPow2(width) && int.IsPow2(featureSize);

    // frames [N,3,H,W] -> [N,F]
    public override Tensor forward(Tensor frames)
    {
        var x = frames;
        foreach (var layer in layers.children().Cast<Module<Tensor, Tensor>>())
            x = layer is Conv2d conv && !UsesLibTorchKernels ? GemmConvolution.Forward(conv, x) : layer.call(x);
        return functional.adaptive_avg_pool2d(x, 1).flatten(1);
    }
}
