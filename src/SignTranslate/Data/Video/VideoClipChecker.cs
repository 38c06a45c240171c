using System.Collections.Concurrent;

namespace SignTranslate.Data.Video;

/// <summary>
/// <c>slt data check</c>'s look at one video clip: the file exists and is a video, the clip's times lie inside it,
/// the whole clip decodes, and it has at least the frames the model needs. It remembers each clip's decoded frame
/// count for the summary. Safe to call from several threads.
/// </summary>
/// <param name="decoding">The frame rate and size training decodes at.</param>
/// <param name="minimumFrames">Fewest frames the model accepts (<see cref="VideoLengths.MinimumFrames"/>).</param>
public sealed class VideoClipChecker(VideoDecoding decoding, int minimumFrames)
{
    // ffprobe's duration and the last frame's time differ by up to a frame; a clip may end that much after it.
    private const double EndTolerance = 0.1;

    private readonly ConcurrentDictionary<(string File, ClipTimes Clip), int> _frames = new();

    /// <summary>The decoded frame count of a sample checked before; null otherwise.</summary>
    public int? FrameCount(SignSample sample) =>
        sample.VideoFile is { } file && _frames.TryGetValue((file, sample.Clip), out var n) ? n : null;

    public IEnumerable<DataProblem> Check(Split split, SignSample sample)
    {
        var file = sample.VideoFile ?? throw new ArgumentException("the sample is not a video file", nameof(sample));
        VideoInfo info;
        try
        {
            info = VideoInfo.Probe(file);
        }
        catch (VideoFileException e)
        {
            return [DataProblem.Of(split, sample, $"video {e.Message}")];
        }
        var problems = new List<DataProblem>();
        if (info.DurationSeconds > 0)
        {
            if (sample.Clip.Start is { } start && start >= info.DurationSeconds)
                problems.Add(DataProblem.Of(split, sample, $"video {file}: start {start:0.###} s is at or after the video's end ({info.DurationSeconds:0.###} s)"));
            else if (sample.Clip.End is { } end && end > info.DurationSeconds + EndTolerance)
                problems.Add(DataProblem.Of(split, sample, $"video {file}: end {end:0.###} s is after the video's end ({info.DurationSeconds:0.###} s)"));
            if (problems.Count > 0) return problems;
        }
        try
        {
            var (frames, errors) = VideoFileDecoder.DecodeReportingErrors(file, sample.Clip, decoding);
            var count = (int)frames.shape[0];
            frames.Dispose();
            _frames[(file, sample.Clip)] = count;
            if (errors is not null)
                problems.Add(DataProblem.Of(split, sample, $"video {file}: damaged, decoding stopped or skipped data ({count} frames decoded): {errors}"));
            if (count < minimumFrames)
                problems.Add(DataProblem.Of(split, sample, $"video {file}: clip {sample.Clip} has {count} frames, fewer than the model's minimum of {minimumFrames}"));
        }
        catch (VideoFileException e)
        {
            problems.Add(DataProblem.Of(split, sample, $"video {e.Message}"));
        }
        return problems;
    }
}
