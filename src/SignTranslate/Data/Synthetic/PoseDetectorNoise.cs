using SignTranslate.Randomness;

namespace SignTranslate.Data.Synthetic;

/// <summary>
/// Turns exact keypoints into what a pose detector reports (<see cref="SyntheticPoseOptions"/>): Gaussian jitter on
/// every coordinate, joints missing now and then (0, 0, score 0), uncertain joints with a low score and four times
/// the jitter, and confident scores in [0.85, 1) for the rest. Every joint takes the same five draws whatever happens
/// to it, so one option's value never shifts another joint's randomness.
/// </summary>
internal static class PoseDetectorNoise
{
    public const double ConfidentScore = 0.85, LowScoreLimit = 0.3, LowScoreNoiseFactor = 4;

    /// <param name="joints">One frame's 133 × (x, y, score), score 1 where the joint is visible, 0 where it is not.</param>
    /// <param name="signerSize">The signer's size in pixels, the unit of the noise option.</param>
    public static void Apply(Span<float> joints, SyntheticPoseOptions options, double signerSize, SplitMix64 random)
    {
        for (var at = 0; at < joints.Length; at += KeypointLayout.Channels)
        {
            var dropped = random.NextDouble() < options.DroppedJoints;
            var visible = joints[at + 2] > 0;
            var low = visible && random.NextDouble() < options.LowScores;
            if (!visible) random.Skip(1);
            var (gaussX, gaussY) = Gaussians(random.NextDouble(), random.NextDouble());
            var score = random.NextDouble();
            if (dropped)
            {
                joints[at] = joints[at + 1] = joints[at + 2] = 0;
                continue;
            }
            var std = options.Noise * signerSize * (low ? LowScoreNoiseFactor : 1);
            joints[at] = (float)(joints[at] + std * gaussX);
            joints[at + 1] = (float)(joints[at + 1] + std * gaussY);
            joints[at + 2] = !visible ? 0 : (float)(low ? LowScoreLimit * score : ConfidentScore + (1 - ConfidentScore) * score);
        }
    }

    /// <summary>Two independent standard normal numbers from two uniform ones (Box-Muller).</summary>
    private static (double, double) Gaussians(double u1, double u2)
    {
        var radius = Math.Sqrt(-2 * Math.Log(1 - u1));
        return (radius * Math.Cos(2 * Math.PI * u2), radius * Math.Sin(2 * Math.PI * u2));
    }
}
