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

    public static KeypointSequence Read(string path)
    {
        var tensors = SafeTensorsFile.Load(path);
        try
        {
            if (!tensors.TryGetValue(TensorName, out var keypoints))
                throw new InputException($"{path}: no '{TensorName}' tensor (a keypoint file holds keypoints [T, 133, 3])");
            using var values = keypoints.to_type(ScalarType.Float32).contiguous();
            return new KeypointSequence((int)values.shape[0], values.data<float>().ToArray());
        }
        finally
        {
            foreach (var tensor in tensors.Values) tensor.Dispose();
        }
    }
}
