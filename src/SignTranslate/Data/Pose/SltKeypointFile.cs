using SignTranslate.Checkpoints;
using SignTranslate.Files;
using static TorchSharp.torch;

namespace SignTranslate.Data.Pose;

/// <summary>
/// The project's own keypoint format: a safetensors file with one float32 tensor <c>keypoints</c> [T, 133, 3]
/// (x, y, score in <see cref="KeypointLayout"/>), written by <c>slt synth</c> and readable from Python with the
/// safetensors package (docs/pose.md#formats).
/// </summary>
public static class SltKeypointFile
{
    public const string Extension = ".safetensors";
    public const string TensorName = "keypoints";

    public static void Write(string path, KeypointSequence sequence)
    {
        using var scope = NewDisposeScope();
        UserFiles.Write(path, p => SafeTensorsFile.Save(p, [new(TensorName, sequence.ToTensor())]));
    }

    /// <exception cref="KeypointFileException">Missing, no <c>keypoints</c> tensor, not [T, 133, 3], or not finite.</exception>
    public static KeypointSequence Read(string path)
    {
        if (!File.Exists(path)) throw new KeypointFileException(path, "keypoint file not found");
        var tensors = SafeTensorsFile.Load(path);
        try
        {
            if (!tensors.TryGetValue(TensorName, out var keypoints))
                throw new KeypointFileException(path, $"no '{TensorName}' tensor (a keypoint file holds keypoints [T, 133, 3])");
            var shape = keypoints.shape;
            if (shape.Length != 3 || shape[2] != KeypointLayout.Channels)
                throw new KeypointFileException(path, $"'{TensorName}' has shape [{string.Join(", ", shape)}], expected [T, {KeypointLayout.Joints}, {KeypointLayout.Channels}] (x, y, score)");
            if (shape[1] != KeypointLayout.Joints)
                throw new KeypointFileException(path, $"has {shape[1]} joints per frame, expected {KeypointLayout.Joints} (COCO-WholeBody)");
            if (!keypoints.is_floating_point())
                throw new KeypointFileException(path, $"'{TensorName}' is {keypoints.dtype}, expected float32");
            using var values = keypoints.to_type(ScalarType.Float32).contiguous();
            var data = values.data<float>().ToArray();
            KeypointValues.ThrowUnlessFinite(path, data);
            return new KeypointSequence((int)shape[0], data);
        }
        finally
        {
            foreach (var tensor in tensors.Values) tensor.Dispose();
        }
    }
}
