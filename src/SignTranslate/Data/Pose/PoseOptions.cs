using SignTranslate.Config;

namespace SignTranslate.Data.Pose;

/// <summary>The <c>data.pose</c> section: how keypoints are prepared for the pose encoder (docs/pose.md#normalisation).</summary>
public sealed record PoseOptions : IValidatableConfig
{
    /// <summary>Joints whose detector score is below this are treated as missing (coordinates and score set to 0); in [0, 1). Default 0.3.</summary>
    public double MinScore { get; init; } = 0.3;

    public IEnumerable<ConfigProblem> Validate() => new ConfigChecks()
        .Require(MinScore is >= 0 and < 1, "min_score", $"must be in [0, 1), got {ConfigChecks.Show(MinScore)}");
}
