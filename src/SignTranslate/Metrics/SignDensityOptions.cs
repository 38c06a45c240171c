using System.Runtime.Serialization;

namespace SignTranslate.Metrics;

/// <summary>Which feature vector stands for one gloss occurrence (an "instance" in docs/reference.md#s8).</summary>
public enum GlossInstanceMode
{
    /// <summary>The feature of the span's centre frame, <c>Start + (End − Start − 1) / 2</c> (the lower middle for even lengths).</summary>
    [EnumMember(Value = "center")]
    Center,

    /// <summary>The mean feature over every frame of the span.</summary>
    [EnumMember(Value = "mean")]
    Mean,
}

/// <summary>Settings of the sign density ratio (SDR, docs/reference.md#s8).</summary>
public sealed record SignDensityOptions
{
    /// <summary>
    /// YAML <c>instances</c> (<c>center</c> | <c>mean</c>): how a gloss span becomes one feature vector. Default
    /// <c>center</c>, the closest reproducible stand-in for the paper's single frame hand-picked by volunteers inside
    /// each aligned span; <c>mean</c> averages the span instead.
    /// </summary>
    public GlossInstanceMode Instances { get; init; } = GlossInstanceMode.Center;

    /// <summary>
    /// YAML <c>min_instances_per_gloss</c>: glosses with fewer instances are left out of the SDR entirely (neither
    /// scored nor used as the "other" glosses of the inter-gloss mean). Default 2, the smallest count for which the
    /// intra-gloss distance is defined.
    /// </summary>
    public int MinInstancesPerGloss { get; init; } = 2;

    /// <summary>
    /// YAML <c>frame_stride</c>: video frames per feature step, for features taken after temporal downsampling
    /// (e.g. 4 for the output of TemporalConv K5-P2-K5-P2). Frame <c>f</c> maps to step <c>f / stride</c>, clamped
    /// to the last step. Default 1: one feature per frame.
    /// </summary>
    public int FrameStride { get; init; } = 1;
}
