namespace SignTranslate.Data.Video;

/// <summary>A video file is missing, is not a video, is truncated or corrupt, or a clip lies outside it.</summary>
public sealed class VideoFileException(string path, string problem) : InputException($"{path}: {problem}")
{
    public string Path { get; } = path;
    public string Problem { get; } = problem;

    /// <exception cref="VideoFileException"><paramref name="path"/> is not an existing file.</exception>
    public static void ThrowUnlessFile(string path)
    {
        if (!File.Exists(path))
            throw new VideoFileException(path, Directory.Exists(path) ? "is a folder, not a video file" : "video file not found");
    }
}
