using SignTranslate.Config;

namespace SignTranslate.Data.Synthetic;

/// <summary>
/// How imperfect the synthetic keypoints are, imitating a pose detector run on the rendered videos. The
/// imperfections are drawn from their own random stream, so changing them never changes a pixel. YAML section
/// <c>synthetic.pose</c>.
/// </summary>
public sealed record SyntheticPoseOptions : IValidatableConfig
{
    /// <summary>Standard deviation of the Gaussian noise added to each coordinate, as a fraction of the signer's size. Default 0.01.</summary>
    public double Noise { get; init; } = 0.01;

    /// <summary>Probability that a joint is missing in a frame (x = y = 0, score 0). Default 0.05.</summary>
    public double DroppedJoints { get; init; } = 0.05;

    /// <summary>
    /// Probability that a visible joint that was not dropped gets a low score, in [0, 0.3), and four times the
    /// coordinate noise (an uncertain detection). Default 0.05.
    /// </summary>
    public double LowScores { get; init; } = 0.05;

    public IEnumerable<ConfigProblem> Validate() => new ConfigChecks()
        .InRange("noise", Noise, 0, 0.5)
        .InRange("dropped_joints", DroppedJoints, 0, 1)
        .InRange("low_scores", LowScores, 0, 1);
}
