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
    public static Tensor Decode(string path, ClipTimes clip, VideoDecoding decoding, CancellationToken cancel = default)
    {
        var info = VideoInfo.Probe(path, cancel);
        var start = clip.Start ?? 0;
        if (start < 0 || clip.End is { } e && e <= start)
            throw new VideoFileException(path, $"clip {clip} is empty or negative");
        if (info.DurationSeconds > 0 && start >= info.DurationSeconds)
            throw new VideoFileException(path, $"clip {clip} starts at or after the end of the video ({info.DurationSeconds:0.###} s)");

        var arguments = new List<string> { "-v", "error", "-nostdin" };
        if (start > 0) arguments.AddRange(["-ss", Ffmpeg.Number(start)]);
        if (clip.End is { } end) arguments.AddRange(["-t", Ffmpeg.Number(end - start)]);
        var filters = new List<string>();
        if (decoding.FramesPerSecond > 0) filters.Add($"fps={Ffmpeg.Number(decoding.FramesPerSecond)}");
        filters.Add($"scale={decoding.Width}:{decoding.Height}:flags=bicubic");
        arguments.AddRange(["-i", path, "-map", "0:v:0", "-an", "-sn", "-vf", string.Join(',', filters),
            "-pix_fmt", "rgb24", "-f", "rawvideo", "pipe:1"]);

        var result = Ffmpeg.Run("ffmpeg", arguments, cancel: cancel);
        if (result.ExitCode != 0)
            throw new VideoFileException(path, $"cannot be decoded (truncated or corrupt?): ffmpeg: {result.LastError}");
        var frameBytes = 3 * decoding.Width * decoding.Height;
        var frames = result.Output.Length / frameBytes;
        if (frames == 0)
            throw new VideoFileException(path, $"no frames could be decoded from clip {clip}" +
                                               (result.Errors.Length > 0 ? $": ffmpeg: {result.LastError}" : ""));
        using var scope = NewDisposeScope();
        var pixels = tensor(result.Output.AsSpan(0, frames * frameBytes).ToArray(), [frames, decoding.Height, decoding.Width, 3], ScalarType.Byte);
        return pixels.permute(0, 3, 1, 2).contiguous().MoveToOuterDisposeScope();
    }
}
