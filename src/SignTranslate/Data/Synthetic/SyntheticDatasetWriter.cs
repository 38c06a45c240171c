using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Serilog;

namespace SignTranslate.Data.Synthetic;

/// <summary>Progress of writing one split: <paramref name="Done"/> of <paramref name="Total"/> videos written.</summary>
public readonly record struct SynthesisProgress(string Split, int Done, int Total);

/// <summary>What was written: samples and frames per split.</summary>
public sealed record SynthesisSummary(string Folder, IReadOnlyDictionary<string, (int Samples, int Frames)> Splits);

/// <summary>
/// Writes a <see cref="SyntheticDataset"/> to disk in the layout every labels-format reader understands:
/// <c>labels.train|dev|test</c> (gzip pickle, docs/reference.md#s2.1, plus gloss_spans), PNG frames under
/// <c>&lt;image_folder&gt;/&lt;split&gt;/&lt;name&gt;/imagesNNNN.png</c>, and <c>synthetic.json</c> + <c>README.md</c>
/// describing how it was made. Everything is built in a sibling folder and renamed into place at the end, so an
/// interrupted run never leaves a half-written dataset behind.
/// </summary>
public static class SyntheticDatasetWriter
{
    public const string DescriptionFile = "synthetic.json";

    public static SynthesisSummary Write(
        SyntheticDataset dataset, string folder, bool replace = false, string? annotationSource = null,
        Action<SynthesisProgress>? progress = null, CancellationToken cancel = default)
    {
        var target = Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar);
        CheckTarget(target, replace);
        var partial = $"{target}.partial-{Environment.ProcessId}";
        if (Directory.Exists(partial)) Directory.Delete(partial, recursive: true);
        Directory.CreateDirectory(partial);
        try
        {
            var splits = new Dictionary<string, (int Samples, int Frames)>();
            foreach (var split in dataset.Splits)
            {
                WriteFrames(dataset, split, Path.Combine(partial, dataset.Options.ImageFolder), progress, cancel);
                var samples = dataset.Samples(split);
                LabelsFileWriter.Write(Path.Combine(partial, $"labels.{split}"), samples);
                splits[split] = (samples.Count, samples.Sum(s => s.FrameCount));
            }
            File.WriteAllText(Path.Combine(partial, DescriptionFile), Describe(dataset, splits, annotationSource));
            File.WriteAllText(Path.Combine(partial, "README.md"), Readme(dataset, splits));

            if (Directory.Exists(target)) Directory.Delete(target, recursive: true);
            Directory.Move(partial, target);
            Log.Debug("Synthetic dataset written to {Folder}", target);
            return new SynthesisSummary(target, splits);
        }
        catch
        {
            if (Directory.Exists(partial)) Directory.Delete(partial, recursive: true);
            throw;
        }
    }

    /// <summary>
    /// Refuses to touch a folder that holds anything but an earlier synthetic dataset, so a mistyped --out cannot
    /// delete unrelated files even with --force.
    /// </summary>
    private static void CheckTarget(string target, bool replace)
    {
        if (File.Exists(target)) throw new InputException($"{target}: exists and is a file, expected a folder");
        if (!Directory.Exists(target) || !Directory.EnumerateFileSystemEntries(target).Any()) return;
        if (!File.Exists(Path.Combine(target, DescriptionFile)))
            throw new InputException($"{target}: folder is not empty and holds no synthetic dataset ({DescriptionFile}); choose another --out");
        if (!replace)
            throw new InputException($"{target}: already holds a synthetic dataset; pass --force to replace it");
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
            Directory.CreateDirectory(Path.Combine(imageRoot, plan.Name));
            for (var frame = 0; frame < plan.FrameCount; frame++)
                File.WriteAllBytes(Path.Combine(imageRoot, paths[frame]), PngEncoder.EncodePlanarRgb(frames.AsSpan(frame * frameBytes, frameBytes), width, height, compress));
            progress?.Invoke(new SynthesisProgress(split, Interlocked.Increment(ref done), plans.Count));
        });
    }

    private static string Describe(SyntheticDataset dataset, IReadOnlyDictionary<string, (int Samples, int Frames)> splits, string? annotationSource)
    {
        var json = new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };
        var description = new JsonObject
        {
            ["generator"] = "SignTranslate synthetic sign language, format 1",
            ["options"] = JsonSerializer.SerializeToNode(dataset.Options, json),
            ["annotations"] = annotationSource is null ? null : Path.GetFullPath(annotationSource),
            ["image_folder"] = dataset.Options.ImageFolder,
            ["splits"] = new JsonObject(splits.Select(s => KeyValuePair.Create(s.Key,
                (JsonNode?)new JsonObject { ["samples"] = s.Value.Samples, ["frames"] = s.Value.Frames }))),
            ["distinct_sentences"] = dataset.Pool?.Sentences.Count,
            ["sentences_seen_in_training"] = dataset.Pool?.SeenCount,
            ["glosses"] = new JsonArray(dataset.Lexicon.Glosses.Order(StringComparer.Ordinal).Select(g => (JsonNode?)g).ToArray()),
        };
        return description.ToJsonString(json) + "\n";
    }

    private static string Readme(SyntheticDataset dataset, IReadOnlyDictionary<string, (int Samples, int Frames)> splits)
    {
        var o = dataset.Options;
        var text = new StringBuilder();
        text.AppendLine("# Synthetic sign language dataset");
        text.AppendLine();
        text.AppendLine("Written by `slt synth`; every byte follows from the options in `synthetic.json` (seed included).");
        text.AppendLine();
        text.AppendLine("- `labels.train|dev|test`: gzip-compressed pickle of a dict name -> {name, gloss, text, length, imgs_path, gloss_spans}");
        text.AppendLine("  (the GFSLT-VLP labels format; `gloss_spans` lists [gloss, start, end] with frames [start, end)).");
        text.AppendLine($"- `{o.ImageFolder}/`: the image root; `imgs_path` entries are relative to it. Frames are {o.FrameWidth}x{o.FrameHeight} RGB PNGs.");
        text.AppendLine();
        foreach (var (split, (samples, frames)) in splits)
            text.AppendLine($"- {split}: {samples} videos, {frames} frames");
        text.AppendLine();
        text.AppendLine($"Vocabulary: {dataset.Lexicon.Glosses.Count} glosses.");
        return text.ToString();
    }
}
