using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SignTranslate.Models;

/// <summary>
/// The reference <c>resnet</c> wrapper: runs the frame encoder over all frames of a batch at once, splits the
/// result per video by the lengths and pads to the longest video. Frames [ΣT_i,3,H,W] + lengths [B] →
/// features [B,T_max,F]. The frame network is registered as <c>resnet</c> (the reference key) or <c>cnn</c>.
/// </summary>
public sealed class VideoFrameEncoder : Module<Tensor, Tensor, Tensor>
{
    private readonly ResNet18? resnet;
    private readonly SmallFrameCnn? cnn;
    private readonly double padValue;

    public VideoFrameEncoder(VisualBackboneOptions options, string name = "conv_2d") : base(name)
    {
        padValue = options.FeaturePadValue;
        switch (options.FrameEncoder)
        {
            case FrameEncoderKind.Resnet18:
                if (options.FrameFeatureSize != ResNet18.FeatureSize)
                    throw new ArgumentException($"ResNet-18 produces {ResNet18.FeatureSize}-d features, not {options.FrameFeatureSize}.");
                resnet = new ResNet18();
                break;
            case FrameEncoderKind.SmallCnn:
                cnn = new SmallFrameCnn(options.FrameFeatureSize, options.SmallCnnWidth);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(options), options.FrameEncoder, "Unknown frame encoder.");
        }
        RegisterComponents();
        FeatureSize = options.FrameFeatureSize;
        if (options.FreezeFrameEncoder)
            foreach (var p in FrameNetwork.parameters())
                p.requires_grad = false;
    }

    public int FeatureSize { get; }

    /// <summary>The per-frame network (ResNet-18 or the small CNN).</summary>
    public Module<Tensor, Tensor> FrameNetwork => (Module<Tensor, Tensor>?)resnet ?? cnn!;

    // frames [ΣT_i,3,H,W], lengths [B] (int64, ΣT_i frames in total) -> [B,T_max,F]. The lengths are read on the host:
    // training passes the batch's host copy, since reading a device tensor makes the host wait for the device.
    public override Tensor forward(Tensor frames, Tensor lengths)
    {
        var perFrame = FrameNetwork.call(frames);                                     // [ΣT_i,F]
        var sizes = lengths.to(ScalarType.Int64).cpu().data<long>().ToArray();
        if (sizes.Sum() != perFrame.shape[0])
            throw new ArgumentException($"Lengths sum to {sizes.Sum()} but {perFrame.shape[0]} frames were given.");
        var perVideo = perFrame.split(sizes, dim: 0);                                 // B × [T_i,F]
        return nn.utils.rnn.pad_sequence(perVideo, batch_first: true, padding_value: padValue);
    }
}
