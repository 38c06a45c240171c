using static TorchSharp.torch;

namespace SignTranslate.Data.Video;

/// <summary>Which part of a video a sample is, in seconds from the start of the file; null ends are the file's own.</summary>
public readonly record struct ClipTimes(double? Start, double? End)
{
    public static readonly ClipTimes Whole = new(null, null);

    public override string ToString() => $"[{Start?.ToString("0.###") ?? "start"}, {End?.ToString("0.###") ?? "end"}] s";
}

/// <summary>How frames are taken from a video file: frame rate and decoded size.</summary>
/// <param name="FramesPerSecond">Frames per second of the decoded clip (FFmpeg's <c>fps</c> filter), or 0: every stored frame.</param>
/// <param name="Width">Decoded width in pixels (bicubic scaling).</param>
/// <param name="Height">Decoded height in pixels.</param>
public readonly record struct VideoDecoding(double FramesPerSecond, int Width, int Height);

/// <summary>
/// Decodes a clip of a video file (.mp4, .webm, .avi, .mov, anything FFmpeg reads) to RGB uint8 frames
/// (n, 3, H, W), the layout <see cref="FrameDecoder"/> gives for image files, so both go through the same
/// <see cref="ClipTransform"/>. FFmpeg seeks to the clip's start (accurately: it decodes from the keyframe before it
/// and drops what precedes the start), resamples to the frame rate and scales to the decoded size.
/// </summary>
public static class VideoFileDecoder
{
    /// <exception cref="VideoFileException">
    /// The file is missing, not a video, truncated or corrupt; the clip starts at or after the video's end, or ends
    /// before it starts; nothing could be decoded.
    /// </exception>
    public static Tensor Decode(string path, ClipTimes clip, VideoDecoding decoding, CancellationToken cancel = default) =>
        DecodeReportingErrors(path, clip, decoding, cancel).Frames;

    /// <summary>
    /// As <see cref="Decode"/>, and what FFmpeg complained about while it still produced frames (a file cut in the
    /// middle of its frame data decodes up to the cut): null when it decoded cleanly. <c>slt data check</c> reports it.
    /// </summary>
    public static (Tensor Frames, string? Errors) DecodeReportingErrors(string path, ClipTimes clip, VideoDecoding decoding, CancellationToken cancel = default)
    {
        VideoFileException.ThrowUnlessFile(path);
        var start = clip.Start ?? 0;
        if (start < 0 || clip.End is { } e && e <= start)
            throw new VideoFileException(path, $"clip {clip} is empty or negative");

        // No ffprobe first: starting a process costs about as much as decoding a short clip. Failures are explained
        // afterwards, when they happen.
        var arguments = new List<string> { "-v", "error", "-nostdin" };
        if (start > 0) arguments.AddRange(["-ss", Ffmpeg.Number(start)]);
        if (clip.End is { } end) arguments.AddRange(["-t", Ffmpeg.Number(end - start)]);
        var filters = new List<string>();
        if (decoding.FramesPerSecond > 0) filters.Add($"fps={Ffmpeg.Number(decoding.FramesPerSecond)}");
        filters.Add($"scale={decoding.Width}:{decoding.Height}:flags=bicubic");
        arguments.AddRange(["-i", path, "-map", "0:v:0", "-an", "-sn", "-vf", string.Join(',', filters),
            "-pix_fmt", "rgb24", "-f", "rawvideo", "pipe:1"]);

        var result = Ffmpeg.Run("ffmpeg", arguments, cancel: cancel);
        var frameBytes = 3 * decoding.Width * decoding.Height;
        var frames = result.Output.Length / frameBytes;
        if (result.ExitCode != 0 || frames == 0)
            throw new VideoFileException(path, Explain(path, clip, result, cancel));
        using var scope = NewDisposeScope();
        var pixels = tensor(result.Output.AsSpan(0, frames * frameBytes).ToArray(), [frames, decoding.Height, decoding.Width, 3], ScalarType.Byte);
        return (pixels.permute(0, 3, 1, 2).contiguous().MoveToOuterDisposeScope(), result.Errors.Length > 0 ? result.Message(path) : null);
    }

    private static string Explain(string path, ClipTimes clip, FfmpegResult result, CancellationToken cancel)
    {
        var info = VideoInfo.Probe(path, cancel); // throws with the reason when the file is not a readable video
        if (info.DurationSeconds > 0 && (clip.Start ?? 0) >= info.DurationSeconds)
            return $"clip {clip} starts at or after the end of the video ({info.DurationSeconds:0.###} s)";
        return result.ExitCode != 0
            ? $"cannot be decoded (truncated or corrupt?): {result.Message(path)}"
            : $"no frames could be decoded from clip {clip}" + (result.Errors.Length > 0 ? $": {result.Message(path)}" : "");
    }
}
