using TorchSharp;
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
        layers = Sequential(
            Conv2d(3, width, 3, stride: 2, padding: 1, bias: false), BatchNorm2d(width), ReLU(),
            Conv2d(width, 2 * width, 3, stride: 2, padding: 1, bias: false), BatchNorm2d(2 * width), ReLU(),
            Conv2d(2 * width, 4 * width, 3, stride: 2, padding: 1, bias: false), BatchNorm2d(4 * width), ReLU(),
            Conv2d(4 * width, featureSize, 3, stride: 2, padding: 1, bias: false), BatchNorm2d(featureSize), ReLU());
        RegisterComponents();
    }

    public int FeatureSize { get; }

    // frames [N,3,H,W] -> [N,F]
    public override Tensor forward(Tensor frames) =>
        functional.adaptive_avg_pool2d(layers.call(frames), 1).flatten(1);
}
