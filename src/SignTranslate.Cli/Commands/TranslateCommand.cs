using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using SignTranslate.Data;
using SignTranslate.Data.Pose;
using SignTranslate.Models;
using SignTranslate.Training;
using TorchSharp;

namespace SignTranslate.Cli.Commands;

/// <summary>
/// <c>slt translate --checkpoint CKPT PATH... [--json]</c>: each PATH is a video file (.mp4, .webm, .avi, .mov, .mkv,
/// decoded by FFmpeg at the checkpoint's <c>data.video</c> rate and size), a folder of video files (each translated),
/// or a folder of frames (PNG or JPEG, in file-name order). Videos are prepared exactly as the checkpoint's evaluation
/// prepares dev/test videos and translated with its search settings. One video prints the text; several print
/// <c>PATH&lt;TAB&gt;text</c> lines; <c>--json</c> prints one JSON document with id, text and timings per video.
/// A checkpoint trained on keypoints (<c>model.input: pose</c>) takes keypoint files as PATHs instead (own
/// <c>.safetensors</c>, Uni-Sign <c>.pkl</c> or an OpenPose JSON folder); one trained on <c>rgb+pose</c> takes videos
/// and, with <c>--keypoints</c>, one keypoint file per video in the same order.
/// </summary>
public static class TranslateCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var checkpoint = SharedOptions.Checkpoint("Checkpoint folder of a finetuned model");
        var beam = SharedOptions.Beam();
        var device = SharedOptions.DeviceOfCheckpoint();
        var json = new Option<bool>("--json") { Description = "Print one JSON document: per video its id (the path), text and timings" };
        var keypoints = new Option<string[]>("--keypoints")
        {
            Description = "For a checkpoint trained on rgb+pose: the keypoint file (.safetensors, .pkl) or OpenPose folder of a video; repeat it once per video, in the videos' order",
        };
        var paths = new Argument<string[]>("PATH")
        {
            Description = "Video files, folders of video files, or folders of frames (PNG/JPEG, sorted by file name); keypoint files for a pose checkpoint",
            Arity = ArgumentArity.OneOrMore,
        };
        var command = new Command("translate", "Translate sign language videos (video files or folders of frames) to text with a checkpoint")
        {
            checkpoint, beam, device, json, keypoints, paths,
        };
        command.SetAction((parse, cancel) => CommandRunner.RunAsync(parse, stderr, token =>
        {
            var overrides = new List<string>();
            if (parse.GetValue(beam) is { } b) overrides.Add($"eval.num_beams={b}");
            if (parse.GetValue(device) is { } d) overrides.Add($"run.device={d}");
            return Task.FromResult(Run(parse.GetValue(checkpoint)!.FullName, parse.GetValue(paths)!, parse.GetValue(keypoints) ?? [], overrides,
                parse.GetValue(json), stdout, token));
        }, cancel));
        return command;
    }

    private static int Run(string checkpointFolder, IReadOnlyList<string> paths, IReadOnlyList<string> keypointPaths, IReadOnlyList<string> overrides,
        bool json, TextWriter stdout, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        var checkpoint = TrainedModels.Read(checkpointFolder, overrides);
        var config = checkpoint.Config;
        var samples = SamplesFor(config.Model.Input, paths, keypointPaths);
        var device = TrainedModels.PrepareDevice(config);
        using var model = TrainedModels.LoadSlt(checkpoint, device);
        var modelSeconds = clock.Elapsed.TotalSeconds;
        var videos = new TimedVideoSource(new DiskVideoSource(new VideoLoader(imageRoot: null, config.Data.Frames, config.Data.Augmentation, config.Data.Video)));
        var poses = config.Model.ReadsKeypoints ? new PoseLoader(config.Data.Pose, config.Data.Frames) : null;
        var builder = new SignBatchBuilder(samples, config.Model.ReadsFrames ? videos : null, checkpoint.Tokenizer, config.Data, training: false,
            withMaskedText: false, poses);
        var results = new List<Translation>();
        using var noGrad = torch.no_grad();
        foreach (var chunk in Enumerable.Range(0, samples.Count).Chunk(config.Training.EvalBatchSize))
        {
            cancel.ThrowIfCancellationRequested();
            using var batch = builder.Build(chunk, 0);
            var translating = Stopwatch.StartNew();
            var texts = SplitTranslator.TranslateBatch(model, batch, checkpoint.Tokenizer, config.Eval, device);
            // Beam search runs on the whole batch: each video gets its share.
            var share = translating.Elapsed.TotalSeconds / chunk.Length;
            for (var i = 0; i < chunk.Length; i++)
            {
                var sample = samples[chunk[i]];
                var result = new Translation(sample.Id, texts[i], batch.Video.FrameCounts[i], videos.Seconds(sample.Id), share);
                results.Add(result);
                if (!json) stdout.WriteLine(samples.Count == 1 ? result.Text : $"{result.Id}\t{result.Text}");
            }
        }
        if (json)
            stdout.WriteLine(JsonSerializer.Serialize(new TranslationReport(checkpointFolder, modelSeconds, results), JsonOptions));
        return ExitCodes.Success;
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };

    private sealed record Translation(string Id, string Text, int Frames, double DecodeSeconds, double TranslateSeconds);

    private sealed record TranslationReport(string Checkpoint, double ModelLoadSeconds, IReadOnlyList<Translation> Translations);

    /// <summary>Remembers how long each video took to decode and prepare.</summary>
    private sealed class TimedVideoSource(IVideoSource inner) : IVideoSource
    {
        private readonly Dictionary<string, double> _seconds = [];

        public TorchSharp.torch.Tensor Load(SignSample sample, bool training, Random rng, FrameSelection? selection = null)
        {
            var clock = Stopwatch.StartNew();
            var clip = inner.Load(sample, training, rng, selection);
            lock (_seconds) _seconds[sample.Id] = clock.Elapsed.TotalSeconds;
            return clip;
        }

        public double Seconds(string id)
        {
            lock (_seconds) return _seconds.GetValueOrDefault(id);
        }
    }

    /// <summary>The samples the PATHs (and <c>--keypoints</c>) name, for a model with <paramref name="input"/>.</summary>
    private static List<SignSample> SamplesFor(ModelInput input, IReadOnlyList<string> paths, IReadOnlyList<string> keypointPaths)
    {
        if (input == ModelInput.Pose)
        {
            if (keypointPaths.Count > 0)
                throw new InputException("--keypoints: this checkpoint reads keypoints only; name its keypoint files as the PATHs");
            return paths.Select(p => KeypointSample(Path.GetFullPath(p))).ToList();
        }
        if (input == ModelInput.Rgb && keypointPaths.Count > 0)
            throw new InputException("--keypoints: this checkpoint reads RGB only (model.input: rgb)");
        var samples = paths.SelectMany(Samples).ToList();
        if (input == ModelInput.Rgb) return samples;
        if (keypointPaths.Count != samples.Count)
            throw new InputException($"--keypoints: this checkpoint reads RGB and keypoints (model.input: rgb+pose); give one keypoint file per video, " +
                $"in order: {samples.Count} video(s), {keypointPaths.Count} keypoint file(s)");
        return samples.Select((s, i) => s with { KeypointFile = Path.GetFullPath(keypointPaths[i]) }).ToList();
    }

    private static SignSample KeypointSample(string path)
    {
        if (!File.Exists(path) && !Directory.Exists(path))
            throw new InputException($"{path}: not found (this checkpoint reads keypoints: a .safetensors or .pkl file, or an OpenPose JSON folder)");
        return new SignSample { Id = path, Text = "", FrameCount = 0, KeypointFile = path };
    }

    /// <summary>The videos a PATH names: a video file, each video file of a folder, or a folder of frames.</summary>
    private static IEnumerable<SignSample> Samples(string path)
    {
        var full = Path.GetFullPath(path);
        if (File.Exists(full))
        {
            if (MediaFiles.IsFrame(full))
                throw new InputException($"{full}: is one image; slt translate takes a video file or a folder of frames");
            return [VideoSample(full)];
        }
        if (!Directory.Exists(full))
            throw new InputException($"{full}: not found (slt translate takes video files and folders of videos or frames)");
        var videos = Directory.EnumerateFiles(full).Where(MediaFiles.IsVideo).Order(StringComparer.Ordinal).ToList();
        if (videos.Count > 0) return videos.Select(VideoSample);
        var frames = MediaFiles.FramesIn(full);
        if (frames.Count == 0)
            throw new InputException($"{full}: holds no video files ({string.Join(", ", MediaFiles.VideoExtensions)}) and no PNG or JPEG frames");
        return [new SignSample { Id = full, Text = "", FrameCount = frames.Count, FramePaths = frames }];
    }

    private static SignSample VideoSample(string file) => new() { Id = file, Text = "", FrameCount = 0, VideoFile = file };
}
