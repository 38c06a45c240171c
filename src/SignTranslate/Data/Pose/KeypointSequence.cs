namespace SignTranslate.Data.Pose;

/// <summary>
/// One clip's keypoints in <see cref="KeypointLayout"/>: <see cref="Values"/> is [Frames, 133, 3] row-major
/// (x, y, score). Readers guarantee every value is finite.
/// </summary>
public sealed class KeypointSequence
{
    public KeypointSequence(int frames, float[] values)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(frames);
        if (values.Length != frames * KeypointLayout.Joints * KeypointLayout.Channels)
            throw new ArgumentException($"{frames} frames need {frames * KeypointLayout.Joints * KeypointLayout.Channels} values, got {values.Length}", nameof(values));
        Frames = frames;
        Values = values;
    }

    public int Frames { get; }

    public float[] Values { get; }

    public float X(int frame, int joint) => Values[(frame * KeypointLayout.Joints + joint) * KeypointLayout.Channels];

    public float Y(int frame, int joint) => Values[(frame * KeypointLayout.Joints + joint) * KeypointLayout.Channels + 1];

    public float Score(int frame, int joint) => Values[(frame * KeypointLayout.Joints + joint) * KeypointLayout.Channels + 2];

    /// <summary>A float32 tensor [Frames, 133, 3] the caller owns.</summary>
    public TorchSharp.torch.Tensor ToTensor() =>
        TorchSharp.torch.tensor(Values, [Frames, KeypointLayout.Joints, KeypointLayout.Channels]);
}
