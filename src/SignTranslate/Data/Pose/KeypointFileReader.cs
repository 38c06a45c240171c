namespace SignTranslate.Data.Pose;

/// <summary>
/// Reads a sample's keypoints in whichever format it has (docs/pose.md#formats): a folder is OpenPose JSON, a
/// <c>.pkl</c> a Uni-Sign pickle, a <c>.safetensors</c> the project's own format.
/// </summary>
public static class KeypointFileReader
{
    /// <exception cref="KeypointFileException">Missing, unreadable, of an unknown kind, or not holding 133 finite joints per frame.</exception>
    public static KeypointSequence Read(string path)
    {
        if (Directory.Exists(path)) return OpenPoseJsonReader.Read(path);
        if (!File.Exists(path)) throw new KeypointFileException(path, "keypoint file or OpenPose folder not found");
        var extension = Path.GetExtension(path);
        if (extension.Equals(UniSignPickleReader.Extension, StringComparison.OrdinalIgnoreCase)) return UniSignPickleReader.Read(path);
        if (extension.Equals(SltKeypointFile.Extension, StringComparison.OrdinalIgnoreCase)) return SltKeypointFile.Read(path);
        throw new KeypointFileException(path,
            $"unknown keypoint format '{extension}': expected a {SltKeypointFile.Extension} file, a Uni-Sign {UniSignPickleReader.Extension} or an OpenPose JSON folder");
    }
}
