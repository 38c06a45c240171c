namespace SignTranslate.Data;

/// <summary>
/// The files slt reads as sign language video, told apart by extension: frame images (PNG/JPEG, decoded by
/// <see cref="FrameDecoder"/>) and video files (decoded by FFmpeg). A folder of frames is read in ordinal file-name
/// order everywhere (manifests, CSL-Daily, <c>slt translate</c>, uploads), so every reader names the same frames alike.
/// </summary>
public static class MediaFiles
{
    public static readonly string[] FrameExtensions = [".png", ".jpg", ".jpeg"];
    public static readonly string[] VideoExtensions = [".mp4", ".webm", ".avi", ".mov", ".mkv", ".m4v"];

    public static bool IsFrame(string path) => FrameExtensions.Contains(Path.GetExtension(path).ToLowerInvariant());

    public static bool IsVideo(string path) => VideoExtensions.Contains(Path.GetExtension(path).ToLowerInvariant());

    /// <summary>The frame images of <paramref name="folder"/> (full paths), in ordinal file-name order.</summary>
    public static IReadOnlyList<string> FramesIn(string folder) =>
        Directory.EnumerateFiles(folder).Where(IsFrame).Order(StringComparer.Ordinal).ToList();
}
