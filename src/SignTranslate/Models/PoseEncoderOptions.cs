using System.Runtime.Serialization;
using SignTranslate.Config;

namespace SignTranslate.Models;

/// <summary>What the model reads per frame (docs/pose.md#model).</summary>
public enum ModelInput
{
    /// <summary>RGB frames through the frame CNN (the reference).</summary>
    Rgb,

    /// <summary>Keypoints through <see cref="PoseEncoder"/> alone.</summary>
    Pose,

    /// <summary>Both streams, fused per frame before the TemporalConv.</summary>
    [EnumMember(Value = "rgb+pose")]
    RgbPose,
}

/// <summary>How RGB and pose frame features are combined when <see cref="ModelInput.RgbPose"/> (docs/pose.md#fusion).</summary>
public enum StreamFusion
{
    /// <summary>f = rgb + pose: the pose encoder's output projection is the only adapter.</summary>
    Sum,

    /// <summary>f = rgb + g ⊙ pose with g = σ(W[rgb; pose] + b) per frame and channel, starting half open.</summary>
    Gated,
}

/// <summary>The <c>model.pose</c> section: the pose encoder and the fusion with RGB.</summary>
public sealed record PoseEncoderOptions : IValidatableConfig
{
    /// <summary>Feature width of each body-part group (body, left hand, right hand, face); at least 1. Default 64.</summary>
    public int GroupSize { get; init; } = 64;

    /// <summary>Kernel of each group's temporal convolution (odd, so that frames stay aligned); at least 1. Default 5.</summary>
    public int TemporalKernel { get; init; } = 5;

    /// <summary>Fusion of the RGB and pose streams (only for <c>input: rgb+pose</c>). Default <c>sum</c>.</summary>
    public StreamFusion Fusion { get; init; } = StreamFusion.Sum;

    public IEnumerable<ConfigProblem> Validate() => new ConfigChecks()
        .AtLeast("group_size", GroupSize, 1)
        .Require(TemporalKernel >= 1 && TemporalKernel % 2 == 1, "temporal_kernel", $"must be an odd number of at least 1, got {TemporalKernel}")
        .Defined("fusion", Fusion);
}

/// <summary>The YAML spelling of <see cref="ModelInput"/> values, for messages.</summary>
public static class ModelInputNames
{
    public static string YamlName(this ModelInput input) => ConfigSchema.EnumName(input);
}
