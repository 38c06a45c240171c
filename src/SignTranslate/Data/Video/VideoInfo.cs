using System.Globalization;
using System.Text.Json;

namespace SignTranslate.Data.Video;

/// <summary>What ffprobe reports of a file's first video stream.</summary>
/// <param name="Width">Stored width in pixels.</param>
/// <param name="Height">Stored height in pixels.</param>
/// <param name="FramesPerSecond">Average frame rate; 0 when the container does not say.</param>
/// <param name="DurationSeconds">Duration of the video stream (of the file when the stream has none); 0 when unknown.</param>
public sealed record VideoInfo(int Width, int Height, double FramesPerSecond, double DurationSeconds)
{
    /// <summary>Probes <paramref name="path"/>.</summary>
    /// <exception cref="VideoFileException">Missing, unreadable, not a media file, truncated, or without a video stream.</exception>
    public static VideoInfo Probe(string path, CancellationToken cancel = default)
    {
        VideoFileException.ThrowUnlessFile(path);
        var result = Ffmpeg.Run("ffprobe",
        [
            "-v", "error", "-select_streams", "v:0",
            "-show_entries", "stream=codec_type,width,height,avg_frame_rate,r_frame_rate,duration:format=duration",
            "-of", "json", "--", path,
        ], cancel: cancel);
        if (result.ExitCode != 0)
            throw new VideoFileException(path, $"not a readable video (truncated or corrupt?): {result.Message(path)}");
        return Parse(path, Ffmpeg.Utf8(result.Output));
    }

    internal static VideoInfo Parse(string path, string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (!root.TryGetProperty("streams", out var streams) || streams.GetArrayLength() == 0)
            throw new VideoFileException(path, NoVideoStream(path));
        var stream = streams[0];
        var width = stream.TryGetProperty("width", out var w) ? w.GetInt32() : 0;
        var height = stream.TryGetProperty("height", out var h) ? h.GetInt32() : 0;
        if (width <= 0 || height <= 0)
            throw new VideoFileException(path, "its video stream has no frame size (corrupt?)");
        var fps = Rate(stream, "avg_frame_rate") is > 0 and var average ? average : Rate(stream, "r_frame_rate");
        var duration = Seconds(stream, "duration");
        if (duration <= 0 && root.TryGetProperty("format", out var format)) duration = Seconds(format, "duration");
        return new VideoInfo(width, height, fps, duration);
    }

    /// <summary>Why a file that opens has no video stream to read: it has other streams only, or none at all (truncated).</summary>
    private static string NoVideoStream(string path)
    {
        var result = Ffmpeg.Run("ffprobe", ["-v", "error", "-show_entries", "stream=codec_type", "-of", "json", "--", path]);
        using var document = JsonDocument.Parse(result.ExitCode == 0 ? Ffmpeg.Utf8(result.Output) : "{}");
        var types = document.RootElement.TryGetProperty("streams", out var streams)
            ? streams.EnumerateArray().Select(s => s.TryGetProperty("codec_type", out var t) ? t.GetString() : null).OfType<string>().Distinct().ToList()
            : [];
        return types.Count == 0
            ? "has no readable stream at all (truncated or corrupt?)"
            : $"has no video stream (only {string.Join(", ", types)})";
    }

    // ffprobe writes rates as fractions ("30000/1001") and "0/0" when unknown.
    private static double Rate(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value) || value.GetString() is not { } text) return 0;
        var parts = text.Split('/');
        if (!double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var numerator)) return 0;
        var denominator = parts.Length == 2 && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : 1;
        return denominator > 0 && double.IsFinite(numerator / denominator) ? numerator / denominator : 0;
    }

    private static double Seconds(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.GetString() is { } text
        && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && double.IsFinite(seconds)
            ? seconds
            : 0;
}
