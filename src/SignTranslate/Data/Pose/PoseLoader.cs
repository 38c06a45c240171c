using static TorchSharp.torch;

namespace SignTranslate.Data.Pose;

/// <summary>
/// One sample's keypoints as the pose encoder reads them: read (or produced in memory, for the synthetic sign language),
/// the same frames the RGB clip kept when there is one (else the frame cap's own choice), then
/// <see cref="PoseNormalisation"/>. Returns float32 (n, 133, 3).
/// </summary>
/// <param name="produce">Produces a sample's keypoints without a file (synthetic data rendered in memory); null: read <see cref="SignSample.KeypointFile"/>.</param>
public sealed class PoseLoader(PoseOptions options, FrameOptions frames, Func<SignSample, KeypointSequence>? produce = null)
{
    /// <param name="alignTo">The frames the sample's RGB clip kept; null when the model reads keypoints only.</param>
    public Tensor Load(SignSample sample, bool training, Random rng, FrameSelection? alignTo = null)
    {
        var sequence = produce?.Invoke(sample) ?? Read(sample);
        var file = sample.KeypointFile ?? $"sample '{sample.Id}'";
        if (sequence.Frames == 0)
            throw new InputException($"{file}: has no frames of keypoints");
        var random = training || frames.EvalSampling == TemporalSampling.Random;
        var indices = alignTo is { SourceFrames: > 0 }
            ? alignTo.Kept.Select(k => Align(k, alignTo.SourceFrames, sequence.Frames)).ToArray()
            : TemporalSampler.Indices(sequence.Frames, frames.MaxFrames, random, rng);
        // Written straight into the tensor: the batch workers' allocations set off collections, which are best rare
        // (docs/training.md#a-rare-internal-error).
        var keypoints = empty([indices.Length, KeypointLayout.Joints, KeypointLayout.Channels]);
        PoseNormalisation.Apply(sequence, indices, options.MinScore, TensorMemory.Floats(keypoints));
        return keypoints;
    }

    private static KeypointSequence Read(SignSample sample) =>
        KeypointFileReader.Read(sample.KeypointFile ?? throw new InputException(
            $"{(sample.Origin is { } origin ? origin + ": " : "")}sample '{sample.Id}': has no keypoint file, which model.input pose and rgb+pose need " +
            "(a manifest's keypoints column or a labels file's keypoints field names it; see docs/pose.md)"));

    /// <summary>
    /// The keypoint frame at the time of source frame <paramref name="frame"/> of <paramref name="sourceFrames"/>: the same
    /// index when the counts agree (frames and keypoints from the same video), else the nearest in time (a video
    /// decoded at another rate than its keypoints were taken).
    /// </summary>
    public static int Align(int frame, int sourceFrames, int keypointFrames) => sourceFrames == keypointFrames
        ? frame
        : Math.Min(keypointFrames - 1, (int)((frame + 0.5) * keypointFrames / sourceFrames));
}
