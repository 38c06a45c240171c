using SignTranslate.Data;
using SignTranslate.Models;
using static TorchSharp.torch;

namespace SignTranslate.Training;

/// <summary>A batch's clips as the models take them (here because data and models do not know each other).</summary>
public static class BatchInputs
{
    /// <summary>The frames and/or keypoints of <paramref name="video"/>, on <paramref name="device"/>.</summary>
    public static SignInputs Inputs(this VideoBatch video, Device device) => new SignInputs(video.Frames, video.Keypoints).To(device);
}
