using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Serilog;
using SignTranslate.Data;
using SignTranslate.Files;
using SignTranslate.Metrics;
using SignTranslate.Training;

namespace SignTranslate.Cli.Commands;

/// <summary>
/// <c>slt density --checkpoint CKPT [--split test] [--instances center|mean] [--features frame|temporal]
/// [--alignment FILE] [--out DIR]</c>: the sign density ratio (docs/reference.md#s8) of a finetuned model's features
/// on a split, from the ground-truth gloss spans of the synthetic data or an alignment file. Prints the SDR and the
/// counts; writes <c>density.json</c>, the per-gloss CSV and a 2-D picture of the feature space into DIR.
/// </summary>
public static class DensityCommand
{
    public const string ReportFile = "density.json";
    public const string PerGlossFile = "density-per-gloss.csv";
    public const string PlotFile = "feature-space.png";

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var checkpoint = SharedOptions.Checkpoint("Finetuning checkpoint folder (e.g. RUN/checkpoints/best)");
        var split = SharedOptions.Split("Which split's videos to measure");
        var instances = new Option<string>("--instances")
        {
            Description = "One feature per gloss span: the span's centre frame or the mean over the span",
            DefaultValueFactory = _ => "center",
        };
        instances.AcceptOnlyFromAmong("center", "mean");
        var features = new Option<string>("--features")
        {
            Description = "frame: the per-frame features SignCL acts on (default); temporal: the TemporalConv output (spans ÷ 4)",
            DefaultValueFactory = _ => "frame",
        };
        features.AcceptOnlyFromAmong("frame", "temporal");
        var alignment = new Option<FileInfo?>("--alignment")
        {
            Description = "Gloss spans of real videos: TSV lines sample_id<TAB>gloss<TAB>start<TAB>end (frames, end exclusive); default: the dataset's own spans (synthetic)",
        };
        var output = new Option<DirectoryInfo?>("--out", "-o") { Description = $"Write {ReportFile}, {PerGlossFile} and {PlotFile} here" };
        var set = new ConfigOptions(configRequired: false).Set;
        var device = SharedOptions.DeviceOfCheckpoint();
        var command = new Command("density", "Sign density ratio (SDR) of a model's features on the gloss spans of a split")
        {
            checkpoint, split, instances, features, alignment, output, set, device,
        };
        command.SetAction((parse, cancel) => CommandRunner.RunAsync(parse, stderr, token =>
        {
            var overrides = (parse.GetValue(set) ?? []).ToList();
            if (parse.GetValue(device) is { } d) overrides.Add($"run.device={d}");
            var request = new DensityRequest(
                parse.GetValue(checkpoint)!.FullName,
                Enum.Parse<Split>(parse.GetValue(split)!, ignoreCase: true),
                parse.GetValue(instances) == "mean" ? GlossInstanceMode.Mean : GlossInstanceMode.Center,
                parse.GetValue(features) == "temporal" ? DensityFeatures.Temporal : DensityFeatures.Frame,
                parse.GetValue(alignment)?.FullName,
                parse.GetValue(output)?.FullName,
                overrides);
            return Task.FromResult(Run(request, stdout, token));
        }, cancel));
        return command;
    }

    private sealed record DensityRequest(
        string Checkpoint, Split Split, GlossInstanceMode Instances, DensityFeatures Features, string? Alignment, string? OutFolder,
        IReadOnlyList<string> Overrides);

    private static int Run(DensityRequest request, TextWriter stdout, CancellationToken cancel)
    {
        // The span → kept-frame mapping of long videos needs the deterministic frame selection.
        // Collecting the features takes a while: a folder that cannot take the results must fail now, not after.
        if (request.OutFolder is { } outFolder) OutputFolder.EnsureWritable(outFolder, "--out");
        var overrides = request.Overrides.Append("data.frames.eval_sampling=uniform").ToList();
        var checkpoint = TrainedModels.Read(request.Checkpoint, overrides);
        var config = checkpoint.Config;
        var alignment = request.Alignment is null ? null : GlossAlignmentFile.Read(request.Alignment);
        var device = TrainedModels.PrepareDevice(config);
        using var model = TrainedModels.LoadSlt(checkpoint, device);
        var data = ExperimentData.Open(config);
        var builder = data.Batches(request.Split, checkpoint.Tokenizer, training: false, withMaskedText: false);
        Func<SignSample, IReadOnlyList<GlossSpan>?> spansOf = alignment is null
            ? sample => sample.GlossSpans
            : sample => alignment.GetValueOrDefault(sample.Id);
        if (alignment is not null && !builder.Samples.Any(s => alignment.ContainsKey(s.Id)))
            throw new InputException(
                $"{request.Alignment}: none of its sample ids is in the {SplitName(request.Split)} split (e.g. '{alignment.Keys.First()}' vs '{builder.Samples[0].Id}')");

        var options = new SignDensityOptions { Instances = request.Instances };
        using var instances = new GlossInstances(options);
        Log.Information("Collecting gloss instances of the {Split} split with {Checkpoint}", SplitName(request.Split), checkpoint.Folder);
        var counts = SplitGlossInstances.Collect(model, builder, spansOf, instances, request.Features, config.Data.Frames.MaxFrames,
            config.Training.EvalBatchSize, config.Run.Seed, device, cancel);
        var result = SignDensityRatio.Compute(instances, options);

        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"SDR {result.Sdr:F2}% over {result.Glosses} glosses and {result.Instances} instances ({counts.Videos} videos of the {SplitName(request.Split)} split; {result.SkippedGlosses} glosses with fewer than {options.MinInstancesPerGloss} instances left out; {counts.VideosWithoutSpans} videos without gloss spans)"));
        if (request.OutFolder is { } folder)
        {
            UserFiles.CreateDirectory(folder);
            UserFiles.WriteAllText(Path.Combine(folder, ReportFile), ReportJson(result, request, checkpoint.Folder, counts) + "\n");
            UserFiles.Write(Path.Combine(folder, PerGlossFile), path => SignDensityCsv.Write(path, result));
            using var featureMatrix = instances.Features();
            var projection = FeatureProjection.Principal2D(featureMatrix);
            var title = string.Create(CultureInfo.InvariantCulture,
                $"{(request.Features == DensityFeatures.Frame ? "frame" : "TemporalConv")} features, {SplitName(request.Split)}: SDR {result.Sdr:F2}%");
            UserFiles.Write(Path.Combine(folder, PlotFile), path => FeatureSpacePlot.WritePng(path, projection, instances.Glosses, title));
            stdout.WriteLine($"wrote {Path.Combine(folder, ReportFile)}, {PerGlossFile} and {PlotFile}");
        }
        return ExitCodes.Success;
    }

    private static string SplitName(Split split) => split.ToString().ToLowerInvariant();

    private static string ReportJson(SignDensityResult result, DensityRequest request, string checkpoint, SplitGlossInstanceCount counts)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("sdr", result.Sdr);
            writer.WriteNumber("glosses", result.Glosses);
            writer.WriteNumber("instances", result.Instances);
            writer.WriteNumber("skipped_glosses", result.SkippedGlosses);
            writer.WriteNumber("videos", counts.Videos);
            writer.WriteNumber("videos_without_spans", counts.VideosWithoutSpans);
            writer.WriteString("split", SplitName(request.Split));
            writer.WriteString("checkpoint", checkpoint);
            writer.WriteString("features", request.Features == DensityFeatures.Frame ? "frame" : "temporal");
            writer.WriteString("instance_mode", request.Instances == GlossInstanceMode.Mean ? "mean" : "center");
            writer.WriteString("spans", request.Alignment ?? "dataset");
            writer.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
