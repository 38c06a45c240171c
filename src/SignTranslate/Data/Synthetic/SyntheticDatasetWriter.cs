using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Serilog;
using SignTranslate.Data.Manifests;
using SignTranslate.Data.Pose;
using SignTranslate.Data.Video;
using SignTranslate.Files;

namespace SignTranslate.Data.Synthetic;

/// <summary>Progress of writing one split: <paramref name="Done"/> of <paramref name="Total"/> videos written.</summary>
public readonly record struct SynthesisProgress(string Split, int Done, int Total);

/// <summary>How <see cref="SyntheticDatasetWriter"/> stores the videos.</summary>
public enum SyntheticFileFormat
{
    /// <summary>GFSLT-VLP labels files and a PNG per frame (the Phoenix-2014T layout).</summary>
    Png,

    /// <summary>An H.264 .mp4 per video and a corpus manifest per split (<c>train.tsv</c>, ...): the path of video corpora.</summary>
    Mp4,
}

/// <summary>What was written: samples and frames per split.</summary>
public sealed record SynthesisSummary(string Folder, IReadOnlyDictionary<string, (int Samples, int Frames)> Splits);

/// <summary>
/// Writes a <see cref="SyntheticDataset"/> to disk in the layout every labels-format reader understands:
/// <c>labels.train|dev|test</c> (gzip pickle, docs/reference.md#s2.1, plus gloss_spans), PNG frames under
/// <c>&lt;image_folder&gt;/&lt;split&gt;/&lt;name&gt;/imagesNNNN.png</c>, <c>synthetic.json</c> + <c>README.md</c>
/// describing how it was made, and <see cref="SynthesisFileList"/> naming every file written. In
/// <see cref="SyntheticFileFormat.Mp4"/> the videos are <c>videos/&lt;split&gt;/&lt;name&gt;.mp4</c> at
/// <see cref="VideoFramesPerSecond"/> and the splits are manifests <c>&lt;split&gt;.tsv</c> instead. Everything is
/// rendered into a hidden folder inside the target and moved into place at the end, so a failed or cancelled run
/// leaves the earlier contents as they were, and nothing is written outside the target.
/// </summary>
public static class SyntheticDatasetWriter
{
    public const string DescriptionFile = "synthetic.json";
    public const string VideoFolder = "videos";

    /// <summary>Folder of the keypoint files, one <c>&lt;split&gt;/&lt;name&gt;.safetensors</c> per video in either format.</summary>
    public const string KeypointFolder = "keypoints";

    /// <summary>Frame rate stored in the .mp4 files: Phoenix-2014T's.</summary>
    public const double VideoFramesPerSecond = 25;

    private const string PartialPrefix = ".slt-synth-partial-";

    public static SynthesisSummary Write(
        SyntheticDataset dataset, string folder, bool replace = false, string? annotationSource = null,
        Action<SynthesisProgress>? progress = null, CancellationToken cancel = default, SyntheticFileFormat format = SyntheticFileFormat.Png)
    {
        var target = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        var files = PlannedFiles(dataset, format);
        var earlier = CheckTarget(target, replace, files);
        var partial = Path.Combine(target, $"{PartialPrefix}{Environment.ProcessId}");
        var newFolder = !Directory.Exists(target);
        var written = false;
        try
        {
            OutputFolder.EnsureWritable(target, "--out");
            UserFiles.Write(partial, p =>
            {
                if (Directory.Exists(p)) Directory.Delete(p, recursive: true);
                Directory.CreateDirectory(p);
            });
            var splits = new Dictionary<string, (int Samples, int Frames)>();
            foreach (var split in dataset.Splits)
            {
                // Keypoint files are named relative to the dataset folder, where the labels files and manifests lie.
                var samples = dataset.Samples(split).Select(s => s with { KeypointFile = KeypointPath(s.Id) }).ToList();
                WriteKeypoints(dataset, split, partial, cancel);
                if (format == SyntheticFileFormat.Png)
                {
                    WriteFrames(dataset, split, Path.Combine(partial, dataset.Options.ImageFolder), progress, cancel);
                    UserFiles.Write(Path.Combine(partial, $"labels.{split}"), p => LabelsFileWriter.Write(p, samples));
                }
                else
                {
                    WriteVideos(dataset, split, Path.Combine(partial, VideoFolder), progress, cancel);
                    ManifestWriter.Write(Path.Combine(partial, $"{split}.tsv"), samples.Select(s => new ManifestEntry(s.Id, VideoPath(s.Id), s.Text)
                    {
                        Gloss = s.Gloss,
                        GlossSpans = s.GlossSpans,
                        Keypoints = s.KeypointFile,
                    }));
                }
                splits[split] = (samples.Count, samples.Sum(s => s.FrameCount));
            }
            UserFiles.WriteAllText(Path.Combine(partial, DescriptionFile), Describe(dataset, splits, annotationSource, format));
            UserFiles.WriteAllText(Path.Combine(partial, "README.md"), Readme(dataset, splits, format));
            cancel.ThrowIfCancellationRequested();

            // From here on the list names every file of the earlier and the new dataset, so a run interrupted while
            // swapping leaves a folder that --force can still clean without touching anything else.
            SynthesisFileList.Write(target, earlier.Union(files));
            DatasetFolderSwap.RemoveFiles(target, earlier.Except(files));
            DatasetFolderSwap.MoveInto(partial, target);
            SynthesisFileList.Write(target, files);
            Log.Debug("Synthetic dataset written to {Folder}", target);
            written = true;
            return new SynthesisSummary(target, splits);
        }
        finally
        {
            if (Directory.Exists(partial)) Directory.Delete(partial, recursive: true);
            // A failed run into a folder it created leaves no trace.
            if (!written && newFolder && Directory.Exists(target) && !Directory.EnumerateFileSystemEntries(target).Any())
                Directory.Delete(target);
        }
    }

    /// <summary>Every file the dataset will have, relative to its folder with '/' separators (the file list's entries).</summary>
    private static HashSet<string> PlannedFiles(SyntheticDataset dataset, SyntheticFileFormat format)
    {
        var files = new HashSet<string>(StringComparer.Ordinal) { DescriptionFile, "README.md" };
        foreach (var split in dataset.Splits)
        {
            files.UnionWith(dataset.Plans(split).Select(plan => KeypointPath(plan.Name)));
            if (format == SyntheticFileFormat.Mp4)
            {
                files.Add($"{split}.tsv");
                files.UnionWith(dataset.Plans(split).Select(plan => VideoPath(plan.Name)));
                continue;
            }
            files.Add($"labels.{split}");
            foreach (var plan in dataset.Plans(split))
                foreach (var frame in plan.FramePaths())
                    files.Add($"{dataset.Options.ImageFolder}/{frame}");
        }
        return files;
    }

    /// <summary>A video's file relative to the dataset folder (sample names are <c>&lt;split&gt;/&lt;name&gt;</c>).</summary>
    private static string VideoPath(string sampleName) => $"{VideoFolder}/{sampleName}.mp4";

    /// <summary>A video's keypoint file relative to the dataset folder.</summary>
    private static string KeypointPath(string sampleName) => $"{KeypointFolder}/{sampleName}{SltKeypointFile.Extension}";

    /// <summary>
    /// The files of the earlier synthetic dataset in <paramref name="target"/> (none for a new or empty folder).
    /// Refuses a folder that holds anything but an earlier synthetic dataset, and a replacement that would overwrite
    /// a file the earlier run did not write, so even --force never deletes or overwrites the user's own files.
    /// </summary>
    private static IReadOnlySet<string> CheckTarget(string target, bool replace, IReadOnlySet<string> files)
    {
        if (File.Exists(target)) throw new InputException($"{target}: exists and is a file, expected a folder");
        var none = new HashSet<string>();
        if (!Directory.Exists(target)) return none;
        // Hidden work folders of other synth runs (running, or killed) are not content.
        if (!Directory.EnumerateFileSystemEntries(target).Any(e => !Path.GetFileName(e).StartsWith(PartialPrefix, StringComparison.Ordinal)))
            return none;
        if (!SynthesisFileList.ExistsIn(target))
            throw new InputException(File.Exists(Path.Combine(target, DescriptionFile))
                ? $"{target}: holds a synthetic dataset written by an older slt without {SynthesisFileList.FileName}, so --force cannot tell its files from yours; delete it yourself or choose another --out"
                : $"{target}: folder is not empty and holds no synthetic dataset ({SynthesisFileList.FileName}); choose another --out");
        if (!replace)
            throw new InputException($"{target}: already holds a synthetic dataset; pass --force to replace it (only the files listed in {SynthesisFileList.FileName} are removed)");
        var earlier = SynthesisFileList.Read(target);
        var folders = files.SelectMany(Ancestors).ToHashSet(StringComparer.Ordinal);
        foreach (var path in files.Concat(folders).Order(StringComparer.Ordinal))
        {
            var full = Path.Combine(target, path);
            var foreign = folders.Contains(path)
                ? File.Exists(full) && !earlier.Contains(path)
                : !earlier.Contains(path) && (File.Exists(full) || Directory.Exists(full));
            if (foreign)
                throw new InputException(
                    $"{full}: is in the way of the new dataset and was not written by slt synth; --force replaces only synth's own files, so move it away or choose another --out");
        }
        return earlier;
    }

    private static IEnumerable<string> Ancestors(string relative)
    {
        for (var slash = relative.LastIndexOf('/'); slash > 0; slash = relative.LastIndexOf('/', slash - 1))
            yield return relative[..slash];
    }

    private static void WriteFrames(SyntheticDataset dataset, string split, string imageRoot, Action<SynthesisProgress>? progress, CancellationToken cancel)
    {
        var plans = dataset.Plans(split);
        var (width, height) = (dataset.Options.FrameWidth, dataset.Options.FrameHeight);
        var frameBytes = 3 * width * height;
        var compress = dataset.Options.PixelNoise == 0;
        var done = 0;
        // File creation waits on the file system more than on the CPU, so a few more workers than cores keep both busy.
        var parallel = new ParallelOptions { CancellationToken = cancel, MaxDegreeOfParallelism = 2 * Environment.ProcessorCount };
        Parallel.For(0, plans.Count, parallel, index =>
        {
            var plan = plans[index];
            var frames = dataset.RenderFrames(split, index);
            var paths = plan.FramePaths();
            // The sample name comes from a labels file with --annotations; FromAnnotations checked it, this makes sure.
            UserFiles.CreateDirectory(PathsFromData.Resolve(imageRoot, plan.Name, $"sample '{plan.Name}'"));
            for (var frame = 0; frame < plan.FrameCount; frame++)
                UserFiles.WriteAllBytes(PathsFromData.Resolve(imageRoot, paths[frame], $"sample '{plan.Name}'"),
                    PngEncoder.EncodePlanarRgb(frames.AsSpan(frame * frameBytes, frameBytes), width, height, compress));
            progress?.Invoke(new SynthesisProgress(split, Interlocked.Increment(ref done), plans.Count));
        });
    }

    private static void WriteKeypoints(SyntheticDataset dataset, string split, string folder, CancellationToken cancel)
    {
        var plans = dataset.Plans(split);
        var parallel = new ParallelOptions { CancellationToken = cancel, MaxDegreeOfParallelism = Environment.ProcessorCount };
        Parallel.For(0, plans.Count, parallel, index =>
        {
            var name = plans[index].Name;
            // The sample name comes from a labels file with --annotations; FromAnnotations checked it, this makes sure.
            var file = PathsFromData.Resolve(folder, KeypointPath(name), $"sample '{name}'");
            UserFiles.CreateDirectory(Path.GetDirectoryName(file)!);
            SltKeypointFile.Write(file, dataset.Keypoints(split, index));
        });
    }

    private static void WriteVideos(SyntheticDataset dataset, string split, string videoRoot, Action<SynthesisProgress>? progress, CancellationToken cancel)
    {
        var plans = dataset.Plans(split);
        var (width, height) = (dataset.Options.FrameWidth, dataset.Options.FrameHeight);
        var done = 0;
        // One single-threaded encoder process per video: deterministic bytes, and the cores stay busy across videos.
        var parallel = new ParallelOptions { CancellationToken = cancel, MaxDegreeOfParallelism = Environment.ProcessorCount };
        Parallel.For(0, plans.Count, parallel, index =>
        {
            var plan = plans[index];
            var file = PathsFromData.Resolve(videoRoot, $"{plan.Name}.mp4", $"sample '{plan.Name}'");
            UserFiles.CreateDirectory(Path.GetDirectoryName(file)!);
            var rgb = Interleave(dataset.RenderFrames(split, index), plan.FrameCount, width * height);
            try
            {
                VideoFileEncoder.Encode(file, rgb, width, height, VideoFramesPerSecond, cancel: cancel);
            }
            catch (IOException e)
            {
                throw new InputException(e.Message, e);
            }
            progress?.Invoke(new SynthesisProgress(split, Interlocked.Increment(ref done), plans.Count));
        });
    }

    /// <summary>[T, 3, H, W] planes to [T, H, W, 3] pixels, the layout video encoders take.</summary>
    private static byte[] Interleave(byte[] planar, int frames, int pixels)
    {
        var rgb = new byte[planar.Length];
        for (var f = 0; f < frames; f++)
        for (var c = 0; c < 3; c++)
        {
            var plane = (f * 3 + c) * pixels;
            for (var p = 0; p < pixels; p++) rgb[(f * pixels + p) * 3 + c] = planar[plane + p];
        }
        return rgb;
    }

    private static string Describe(SyntheticDataset dataset, IReadOnlyDictionary<string, (int Samples, int Frames)> splits, string? annotationSource,
        SyntheticFileFormat format)
    {
        var json = new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };
        var description = new JsonObject
        {
            ["generator"] = "SignTranslate synthetic sign language, format 1",
            ["options"] = JsonSerializer.SerializeToNode(dataset.Options, json),
            ["annotations"] = annotationSource is null ? null : Path.GetFullPath(annotationSource),
            ["format"] = format == SyntheticFileFormat.Png ? "png" : "mp4",
            ["image_folder"] = format == SyntheticFileFormat.Png ? dataset.Options.ImageFolder : null,
            ["video_folder"] = format == SyntheticFileFormat.Mp4 ? VideoFolder : null,
            ["video_fps"] = format == SyntheticFileFormat.Mp4 ? VideoFramesPerSecond : null,
            ["keypoint_folder"] = KeypointFolder,
            ["splits"] = new JsonObject(splits.Select(s => KeyValuePair.Create(s.Key,
                (JsonNode?)new JsonObject { ["samples"] = s.Value.Samples, ["frames"] = s.Value.Frames }))),
            ["distinct_sentences"] = dataset.Pool?.Sentences.Count,
            ["sentences_seen_in_training"] = dataset.Pool?.SeenCount,
            ["glosses"] = new JsonArray(dataset.Lexicon.Glosses.Order(StringComparer.Ordinal).Select(g => (JsonNode?)g).ToArray()),
        };
        return description.ToJsonString(json) + "\n";
    }

    private static string Readme(SyntheticDataset dataset, IReadOnlyDictionary<string, (int Samples, int Frames)> splits, SyntheticFileFormat format)
    {
        var o = dataset.Options;
        var text = new StringBuilder();
        text.AppendLine("# Synthetic sign language dataset");
        text.AppendLine();
        text.AppendLine("Written by `slt synth`; every byte follows from the options in `synthetic.json` (seed included).");
        text.AppendLine();
        if (format == SyntheticFileFormat.Mp4)
        {
            text.AppendLine("- `train.tsv|dev.tsv|test.tsv`: corpus manifests (id, video, start, end, text, signer, gloss, gloss_spans, keypoints);");
            text.AppendLine("  read them with `data.kind: manifest`. `gloss_spans` lists GLOSS:START:END with frames [start, end).");
            text.AppendLine($"- `{VideoFolder}/`: one H.264 .mp4 per video, {o.FrameWidth}x{o.FrameHeight}, {VideoFramesPerSecond} frames per second, 4:4:4 chroma.");
        }
        else
        {
            text.AppendLine("- `labels.train|dev|test`: gzip-compressed pickle of a dict name -> {name, gloss, text, length, imgs_path, gloss_spans, keypoints}");
            text.AppendLine("  (the GFSLT-VLP labels format; `gloss_spans` lists [gloss, start, end] with frames [start, end)).");
            text.AppendLine($"- `{o.ImageFolder}/`: the image root; `imgs_path` entries are relative to it. Frames are {o.FrameWidth}x{o.FrameHeight} RGB PNGs.");
        }
        var pose = o.Pose;
        text.AppendLine($"- `{KeypointFolder}/`: one keypoint file per video (`keypoints` names it), a safetensors file with one float32 tensor");
        text.AppendLine("  `keypoints` [frames, 133, 3]: COCO-WholeBody joints as (x, y, score), x and y in pixels of the frames (pixel (i, j)");
        text.AppendLine("  covers [i, i + 1) x [j, j + 1)). They follow the drawn signer, whose dominant hand is their right hand (joints 112-132),");
        text.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"  as a detector would report them: coordinate noise {pose.Noise} of the signer's size, {pose.DroppedJoints} of joints missing"));
        text.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"  (0, 0, score 0), {pose.LowScores} of visible joints with a score below 0.3; legs and feet are out of view (score 0)."));
        text.AppendLine();
        foreach (var (split, (samples, frames)) in splits)
            text.AppendLine($"- {split}: {samples} videos, {frames} frames");
        text.AppendLine();
        text.AppendLine($"Vocabulary: {dataset.Lexicon.Glosses.Count} glosses.");
        return text.ToString();
    }
}
