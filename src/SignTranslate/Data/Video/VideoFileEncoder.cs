namespace SignTranslate.Data.Video;

/// <summary>
/// Writes RGB frames as an H.264 video (the codec How2Sign and OpenASL ship) through FFmpeg's libx264. Full-resolution
/// chroma (4:4:4) and a low constant rate factor keep small synthetic frames faithful; the container follows the file
/// name (.mp4, .mkv, .mov).
/// </summary>
public static class VideoFileEncoder
{
    /// <param name="path">The video file to write (replaced if present).</param>
    /// <param name="rgb">n frames of <paramref name="height"/> × <paramref name="width"/> × 3 bytes, row-major, RGB.</param>
    /// <param name="framesPerSecond">Frame rate stored in the file.</param>
    /// <param name="quality">libx264's constant rate factor: 0 lossless, 18 visually lossless, 23 its default.</param>
    public static void Encode(string path, ReadOnlyMemory<byte> rgb, int width, int height, double framesPerSecond, int quality = 12,
        CancellationToken cancel = default)
    {
        var frameBytes = 3 * width * height;
        if (rgb.Length == 0 || rgb.Length % frameBytes != 0)
            throw new ArgumentException($"expected whole {width}x{height} RGB frames, got {rgb.Length} bytes", nameof(rgb));
        using var input = new MemoryStream(rgb.ToArray(), writable: false);
        var result = Ffmpeg.Run("ffmpeg",
        [
            "-v", "error", "-y",
            "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", $"{width}x{height}", "-r", Ffmpeg.Number(framesPerSecond), "-i", "pipe:0",
            "-c:v", "libx264", "-preset", "medium", "-crf", quality.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-pix_fmt", "yuv444p", "-threads", "1", path,
        ], input, cancel);
        if (result.ExitCode != 0)
            throw new IOException($"{path}: ffmpeg could not write the video: {result.Message(path)}");
    }
}
