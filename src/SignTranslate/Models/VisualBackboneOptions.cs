using SignTranslate.Config;

namespace SignTranslate.Models;

/// <summary>Which per-frame network the visual backbone uses.</summary>
public enum FrameEncoderKind
{
    /// <summary>torchvision ResNet-18 without <c>fc</c> (the reference; 512-d features).</summary>
    Resnet18,

    /// <summary><see cref="SmallFrameCnn"/>: a few conv layers, for CPU-sized synthetic runs.</summary>
    SmallCnn,
}

/// <summary>Settings of the visual backbone (frame encoder + TemporalConv), the reference's <c>FeatureExtracter</c>.</summary>
public sealed record VisualBackboneOptions : IValidatableConfig
{
    /// <summary>Per-frame network. Default <see cref="FrameEncoderKind.Resnet18"/> (the reference).</summary>
    public FrameEncoderKind FrameEncoder { get; init; } = FrameEncoderKind.Resnet18;

    /// <summary>Width of the small CNN's first stage (only for <see cref="FrameEncoderKind.SmallCnn"/>); at least 1. Default 32.</summary>
    public int SmallCnnWidth { get; init; } = 32;

    /// <summary>Feature width per frame produced by the frame encoder. At least 1; ResNet-18 fixes it at 512; the small CNN follows it. Default 512.</summary>
    public int FrameFeatureSize { get; init; } = ResNet18.FeatureSize;

    /// <summary>Output width of the TemporalConv (the reference hard-codes 1024 = mBART d_model); at least 1. Default 1024.</summary>
    public int TemporalHiddenSize { get; init; } = 1024;

    /// <summary>
    /// Value written into per-video frame features beyond each video's length when the batch is padded to the longest.
    /// Default 0 (padding is then inert and masks carry the lengths). The reference pads with 1.0 (its PAD_IDX,
    /// docs/reference.md#s11.9): set 1.0 in faithful configs.
    /// </summary>
    public double FeaturePadValue { get; init; }

    /// <summary>
    /// Training-mode BatchNorm in the TemporalConv and in the SLT <c>sign_emb</c> uses only steps inside each video.
    /// Default true (docs/reference.md#s11.9); the reference (false) lets the padded tail into the batch statistics.
    /// Eval mode is unaffected.
    /// </summary>
    public bool MaskPaddingInBatchNorm { get; init; } = true;

    /// <summary>
    /// Freeze the frame encoder (no gradient into its parameters). Default false: the reference trains everything
    /// (its own freezing is a no-op, docs/reference.md#s11.14).
    /// </summary>
    public bool FreezeFrameEncoder { get; init; }

    /// <summary>
    /// A torchvision ResNet-18 state dict (<c>.pth</c> or <c>.safetensors</c>, e.g. ImageNet weights) loaded into the
    /// frame encoder when a model is built from scratch; relative to the config file. Empty (default): random init.
    /// The reference starts from ImageNet weights.
    /// </summary>
    public string BackboneWeights { get; init; } = "";

    /// <summary>The reference's sizes with the corrected padding behaviour (pad 0, masked BN statistics).</summary>
    public static VisualBackboneOptions Default { get; } = new();

    /// <summary>The reference behaviour: ResNet-18, TemporalConv 512→1024, features padded with 1.0, BN statistics over padding.</summary>
    public static VisualBackboneOptions Faithful { get; } = new() { FeaturePadValue = 1.0, MaskPaddingInBatchNorm = false };

    public IEnumerable<ConfigProblem> Validate() => new ConfigChecks()
        .Defined("frame_encoder", FrameEncoder)
        .AtLeast("small_cnn_width", SmallCnnWidth, 1)
        .Require(FrameEncoder != FrameEncoderKind.Resnet18 || FrameFeatureSize == ResNet18.FeatureSize, "frame_feature_size",
            $"ResNet-18 produces {ResNet18.FeatureSize}-d features, got {FrameFeatureSize}")
        .AtLeast("frame_feature_size", FrameFeatureSize, 1)
        .AtLeast("temporal_hidden_size", TemporalHiddenSize, 1)
        .Finite("feature_pad_value", FeaturePadValue);
}
