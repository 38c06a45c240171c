using System.Collections.Concurrent;
using System.Diagnostics;
using Serilog;
using SignTranslate.Data.Video;
using SignTranslate.Files;
using SignTranslate.Text;

namespace SignTranslate.Data;

/// <summary>One thing wrong with a dataset: where (split, sample, and the file and line it was read from) and what.</summary>
/// <remarks><paramref name="Split"/> is null for problems of the dataset as a whole (e.g. the tokenizer).</remarks>
public sealed record DataProblem(Split? Split, string? SampleId, string Problem, string? Origin = null)
{
    /// <summary>A problem of <paramref name="sample"/>, located by its id and origin.</summary>
    public static DataProblem Of(Split split, SignSample sample, string problem) => new(split, sample.Id, problem, sample.Origin);

    public override string ToString()
    {
        var where = Split is { } split ? split.ToString().ToLowerInvariant() + ": " : "";
        if (Origin is not null) where = $"{Origin}: {where}";
        return SampleId is null ? $"{where}{Problem}" : $"{where}sample '{SampleId}': {Problem}";
    }
}

/// <summary>Statistics of one split.</summary>
public sealed record SplitSummary(
    Split Split, string AnnotationFile, int Samples, int MinFrames, double MeanFrames, double MedianFrames, int MaxFrames,
    int OverFrameCap, double MeanWords, int Tokens, int UnknownTokens)
{
    /// <summary>Share of content tokens (specials excluded) that are unknown to the tokenizer.</summary>
    public double UnknownRate => Tokens == 0 ? 0 : (double)UnknownTokens / Tokens;
}

/// <summary>What <see cref="DatasetChecker"/> found.</summary>
public sealed record DataCheckReport(
    IReadOnlyList<SplitSummary> Splits, IReadOnlyList<DataProblem> Problems, string TokenizerKind, int? VocabularySize, bool FramesChecked)
{
    public bool Ok => Problems.Count == 0;
}

/// <summary>
/// Validates a dataset before training: every split's annotations (empty text, frame count ≠ number of frame
/// paths, no frames, duplicate ids, gloss spans outside the video), every frame (missing, undecodable, size
/// changing within a video) and every video file (missing, undecodable, clip times outside the video, fewer frames
/// than the model needs) and every keypoint file (missing, unreadable, not 133 finite joints per frame) unless only
/// labels are checked, and the tokenizer's unknown-token rate per split.
/// Problems are collected, never thrown, so one run lists them all.
/// </summary>
public static class DatasetChecker
{
    /// <summary>A split whose unknown-token rate is above this is reported as a problem.</summary>
    public const double MaxUnknownRate = 0.05;

    public static DataCheckReport Check(DataOptions options, string configFolder, bool labelsOnly)
    {
        if (options.Kind == DatasetKind.Synthetic)
            throw new InputException("data.kind is synthetic: it is generated in memory and has nothing on disk to check; " +
                                     "write it with `slt synth --out DIR` and check that folder as kind: labels");
        var problems = new List<DataProblem>();
        var splits = new Dictionary<Split, IReadOnlyList<SignSample>>();
        foreach (var split in Enum.GetValues<Split>())
        {
            try
            {
                splits[split] = DatasetReader.Read(options, configFolder, split);
                Log.Information("{Split}: {Samples} samples read", split.ToString().ToLowerInvariant(), splits[split].Count);
            }
            catch (InputException e)
            {
                problems.Add(new DataProblem(split, null, e.Message));
            }
        }

        ITextTokenizer? tokenizer = null;
        try
        {
            tokenizer = TokenizerFactory.Create(options.Tokenizer, configFolder,
                () => splits.TryGetValue(Split.Train, out var train) ? train.Select(s => s.Text) : []);
        }
        catch (Exception e) when (e is IOException or ArgumentException or InvalidDataException or InputException)
        {
            problems.Add(new DataProblem(null, null, $"tokenizer: {e.Message}"));
        }

        var imageRoot = DataPaths.FramePathRoot(options, configFolder);
        if (!labelsOnly && DataPaths.CacheFolder(options, configFolder) is not null)
        {
            var clock = Stopwatch.StartNew();
            problems.AddRange(FrameCache.FrameCacheChecker.Check(options, configFolder, splits));
            Log.Information("checked the frame cache of {Samples} samples in {Seconds:F1} s", splits.Values.Sum(s => s.Count), clock.Elapsed.TotalSeconds);
        }
        var summaries = new List<SplitSummary>();
        var videos = new VideoClipChecker(DataPaths.VideoDecoding(options), VideoLengths.MinimumFrames(options.Collation.Padding));
        foreach (var (split, read) in splits.ToList())
        {
            var samples = read;
            problems.AddRange(CheckAnnotations(split, samples));
            if (!labelsOnly)
            {
                var clock = Stopwatch.StartNew();
                problems.AddRange(CheckFrames(split, samples, imageRoot, videos));
                // Decoding counted the frames of video clips: the summary shows them.
                splits[split] = samples.Select(s => s.VideoFile is not null && videos.FrameCount(s) is { } n ? s with { FrameCount = n } : s).ToList();
                samples = splits[split];
                Log.Information("{Split}: decoded the frames of {Samples} samples in {Seconds:F1} s",
                    split.ToString().ToLowerInvariant(), samples.Count, clock.Elapsed.TotalSeconds);
            }
            var summary = Summarise(split, DataPaths.AnnotationFile(options, configFolder, split), samples, options.Frames.MaxFrames, tokenizer);
            if (summary.UnknownRate > MaxUnknownRate)
                problems.Add(new DataProblem(split, null,
                    $"{summary.UnknownRate:P1} of the tokens are unknown to the {tokenizer!.Kind} tokenizer (more than {MaxUnknownRate:P0})"));
            summaries.Add(summary);
        }
        return new DataCheckReport(summaries, problems, tokenizer?.Kind ?? options.Tokenizer.Kind.ToString(), tokenizer?.VocabularySize, !labelsOnly);
    }

    private static IEnumerable<DataProblem> CheckAnnotations(Split split, IReadOnlyList<SignSample> samples)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var sample in samples)
        {
            if (!seen.Add(sample.Id)) yield return DataProblem.Of(split, sample, "duplicate sample id");
            if (string.IsNullOrWhiteSpace(sample.Text)) yield return DataProblem.Of(split, sample, "empty text");
            if (sample.FrameCount != sample.FramePaths.Count && sample.FramePaths.Count > 0)
                yield return DataProblem.Of(split, sample, $"length is {sample.FrameCount} but {sample.FramePaths.Count} frame paths are listed");
            if (sample.FramePaths.Count == 0 && sample.VideoFile is null) yield return DataProblem.Of(split, sample, "no frames");
            // A video file's frames are counted when it is decoded (the frame checks).
            foreach (var span in sample.VideoFile is null ? sample.GlossSpans ?? [] : [])
                if (span.End > sample.FrameCount)
                {
                    yield return DataProblem.Of(split, sample, $"gloss span {span.Gloss} [{span.Start}, {span.End}) ends after the last frame ({sample.FrameCount})");
                    break;
                }
        }
    }

    private static IEnumerable<DataProblem> CheckFrames(Split split, IReadOnlyList<SignSample> samples, string? imageRoot, VideoClipChecker videos)
    {
        var found = new ConcurrentBag<(int Index, DataProblem Problem)>();
        Parallel.For(0, samples.Count, i =>
        {
            var problems = samples[i].VideoFile is null ? CheckSampleFrames(split, samples[i], imageRoot) : videos.Check(split, samples[i]);
            if (samples[i].KeypointFile is not null) problems = problems.Concat(CheckKeypoints(split, samples[i]));
            foreach (var problem in problems)
                found.Add((i, problem));
        });
        return found.OrderBy(f => f.Index).Select(f => f.Problem).ToList();
    }

    /// <summary>The sample's keypoint file must exist and read (docs/pose.md#formats), like its frames.</summary>
    private static IEnumerable<DataProblem> CheckKeypoints(Split split, SignSample sample)
    {
        var path = sample.KeypointFile!;
        if (!File.Exists(path) && !Directory.Exists(path))
            return [DataProblem.Of(split, sample, $"missing keypoint file {path}")];
        try
        {
            Pose.KeypointFileReader.Read(path);
            return [];
        }
        catch (InputException e)
        {
            return [DataProblem.Of(split, sample, $"unreadable keypoint file {e.Message}")];
        }
    }

    private static IEnumerable<DataProblem> CheckSampleFrames(Split split, SignSample sample, string? imageRoot)
    {
        var missing = new List<string>();
        var unreadable = new List<(string Path, string Problem)>();
        long[]? firstShape = null;
        string? sizeProblem = null;
        foreach (var relative in sample.FramePaths)
        {
            if (imageRoot is not null && PathsFromData.Problem(relative) is { } pathProblem)
            {
                unreadable.Add((relative, $"path {pathProblem}"));
                continue;
            }
            var path = imageRoot is null ? relative : PathsFromData.Resolve(imageRoot, relative, $"sample '{sample.Id}': frame");
            var (frame, problem) = FrameDecoder.TryRead(path);
            if (frame is null)
            {
                if (problem == "missing") missing.Add(path); else unreadable.Add((path, problem!));
                continue;
            }
            using (frame)
            {
                firstShape ??= frame.shape;
                if (sizeProblem is null && !frame.shape.SequenceEqual(firstShape))
                    sizeProblem = $"frame {path} is {frame.shape[2]}x{frame.shape[1]}, the first frame {firstShape[2]}x{firstShape[1]}";
            }
        }
        if (missing.Count > 0)
            yield return DataProblem.Of(split, sample, missing.Count == 1 ? $"missing frame {missing[0]}" : $"{missing.Count} missing frames, first {missing[0]}");
        if (unreadable.Count > 0)
            yield return DataProblem.Of(split, sample, unreadable.Count == 1
                ? $"unreadable frame {unreadable[0].Path}: {unreadable[0].Problem}"
                : $"{unreadable.Count} unreadable frames, first {unreadable[0].Path}: {unreadable[0].Problem}");
        if (sizeProblem is not null) yield return DataProblem.Of(split, sample, sizeProblem);
    }

    private static SplitSummary Summarise(Split split, string file, IReadOnlyList<SignSample> samples, int frameCap, ITextTokenizer? tokenizer)
    {
        var frames = samples.Select(s => s.FrameCount).Order().ToArray();
        double median = frames.Length == 0 ? 0 : frames.Length % 2 == 1
            ? frames[frames.Length / 2]
            : (frames[frames.Length / 2 - 1] + frames[frames.Length / 2]) / 2.0;
        int tokens = 0, unknown = 0;
        if (tokenizer is not null)
            foreach (var sample in samples)
            {
                var ids = tokenizer.Encode(sample.Text);
                tokens += ids.Count - 2; // </s> and the language code
                unknown += ids.Count(id => id == tokenizer.UnkId);
            }
        return new SplitSummary(split, file, samples.Count,
            frames.Length == 0 ? 0 : frames[0], frames.Length == 0 ? 0 : frames.Average(), median, frames.Length == 0 ? 0 : frames[^1],
            frames.Count(n => n > frameCap),
            samples.Count == 0 ? 0 : samples.Average(s => s.Text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length),
            tokens, unknown);
    }
}
