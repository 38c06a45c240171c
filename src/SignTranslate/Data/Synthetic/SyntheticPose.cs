using SignTranslate.Data.Pose;
using SignTranslate.Randomness;

namespace SignTranslate.Data.Synthetic;

/// <summary>
/// The keypoints of a synthetic video, frame by frame where the renderer draws the signer: the hands come from the
/// same <see cref="HandTrack"/> (wobble included), the body from <see cref="SignerSkeleton"/>, then the simulated
/// detector's imperfections (<see cref="PoseDetectorNoise"/>) from a stream of their own, so keypoints never change
/// a pixel and the same seed gives the same keypoints.
/// </summary>
public sealed class SyntheticPose
{
    private readonly SyntheticOptions _options;
    private readonly HandTrack _hands;

    public SyntheticPose(SyntheticOptions options, HandTrack hands)
    {
        _options = options;
        _hands = hands;
    }

    public KeypointSequence Keypoints(VideoPlan plan)
    {
        const int frameValues = KeypointLayout.Joints * KeypointLayout.Channels;
        var values = new float[plan.FrameCount * frameValues];
        var frame = SignerFrame.For(plan.Signer, _options.FrameWidth, _options.FrameHeight);
        var hands = _hands.Frames(plan);
        var random = SplitMix64.For(_options.Seed, SplitMix64.Key("pose"), plan.RenderKey);
        for (var t = 0; t < plan.FrameCount; t++)
        {
            var joints = values.AsSpan(t * frameValues, frameValues);
            SignerSkeleton.Write(frame, hands[t], joints);
            PoseDetectorNoise.Apply(joints, _options.Pose, frame.Scale, random);
        }
        return new KeypointSequence(plan.FrameCount, values);
    }
}
