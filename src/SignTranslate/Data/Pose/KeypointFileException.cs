namespace SignTranslate.Data.Pose;

/// <summary>
/// A keypoint file (or, for OpenPose, one frame file of the folder) is missing, unreadable or not what its format
/// says. The message is one line: the file, then what was found and what was expected.
/// </summary>
public sealed class KeypointFileException(string file, string problem) : InputException($"{file}: {problem}")
{
    public string File { get; } = file;
    public string Problem { get; } = problem;
}
