using static TorchSharp.torch;

namespace SignTranslate.Models;

/// <summary>
/// What the models read for a batch, per frame of every clip (padded and concatenated, ΣT_i frames): RGB frames
/// [ΣT,3,H,W], normalised keypoints [ΣT,133,3], or both, as <see cref="ModelOptions.Input"/> says.
/// </summary>
public sealed record SignInputs(Tensor? Frames, Tensor? Keypoints)
{
    /// <summary>RGB frames only (the reference's input).</summary>
    public static SignInputs Rgb(Tensor frames) => new(frames, null);

    public SignInputs To(Device device) => new(Frames?.to(device), Keypoints?.to(device));
}
