using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SignTranslate.Models;

/// <summary>Both outputs of the visual backbone.</summary>
/// <param name="Features">TemporalConv output [B,T',H].</param>
/// <param name="FrameFeatures">Padded per-frame features [B,T,F] (SignCL works on these).</param>
public readonly record struct VisualFeatures(Tensor Features, Tensor FrameFeatures);

/// <summary>
/// The reference <c>FeatureExtracter</c>: frame encoder (<c>conv_2d</c>) then TemporalConv (<c>conv_1d</c>).
/// Frames [ΣT_i,3,H,W] + lengths [B] → [B,T',H] with T' = ((T_max−4)//2 − 4)//2.
/// </summary>
public sealed class FeatureExtractor : Module<Tensor, Tensor, VisualFeatures>
{
    private readonly VideoFrameEncoder conv_2d;
    private readonly TemporalConv conv_1d;
    private readonly bool maskedBatchNorm;

    public FeatureExtractor(VisualBackboneOptions options, string name = "backbone") : base(name)
    {
        conv_2d = new VideoFrameEncoder(options);
        conv_1d = new TemporalConv(options.FrameFeatureSize, options.TemporalHiddenSize);
        maskedBatchNorm = options.MaskPaddingInBatchNorm;
        RegisterComponents();
    }

    public VideoFrameEncoder FrameEncoder => conv_2d;
    public TemporalConv TemporalConv => conv_1d;

    // frames [ΣT_i,3,H,W], lengths [B] -> features [B,T',H], frame features [B,T_max,F]
    public override VisualFeatures forward(Tensor frames, Tensor lengths)
    {
        var frameFeatures = conv_2d.call(frames, lengths);   // [B,T_max,F]
        var videoLengths = maskedBatchNorm ? lengths.cpu().to(ScalarType.Int64).data<long>().ToArray() : null;
        return new VisualFeatures(conv_1d.Forward(frameFeatures, videoLengths), frameFeatures);
    }

    /// <summary>Attention mask [B,T'] (int64, 1 = valid) of the TemporalConv output for per-video frame counts.</summary>
    public static Tensor OutputMask(IReadOnlyList<long> frameCounts, Device? device = null)
    {
        var outLengths = frameCounts.Select(TemporalConv.OutputLength).ToArray();
        var width = TemporalConv.OutputLength(frameCounts.Count == 0 ? 0 : frameCounts.Max());
        var mask = new long[frameCounts.Count * width];
        for (var b = 0; b < outLengths.Length; b++)
            for (var t = 0; t < outLengths[b]; t++)
                mask[b * width + t] = 1;
        return torch.tensor(mask, new long[] { frameCounts.Count, width }, device: device);
    }
}
