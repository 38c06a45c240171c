using System.CommandLine;
using System.Diagnostics;
using SignTranslate.Data.Synthetic;

namespace SignTranslate.Cli.Commands;

/// <summary>
/// <c>slt synth --out DIR [--config FILE] [--set synthetic.key=value] [--annotations LABELS] [--seed N]</c>: writes
/// the synthetic sign language dataset (labels files + PNG frames) to a folder. Options come from the config's
/// <c>synthetic</c> section (defaults without a config); the count and seed flags override it.
/// </summary>
public static class SynthCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var output = new Option<DirectoryInfo>("--out", "-o") { Description = "Folder to write the dataset into (created; must be empty or an earlier synthetic dataset)", Required = true };
        var config = new ConfigOptions(configRequired: false);
        var annotations = new Option<string?>("--annotations") { Description = "Labels file or folder (labels.train|dev|test) whose glosses, texts and frame counts drive the rendered videos" };
        var limit = new Option<int?>("--limit") { Description = "With --annotations: use at most this many samples per split (first by name)" };
        var seed = new Option<long?>("--seed") { Description = "Random seed (overrides synthetic.seed)" };
        var train = new Option<int?>("--train") { Description = "Number of training videos (overrides synthetic.train_samples)" };
        var dev = new Option<int?>("--dev") { Description = "Number of dev videos (overrides synthetic.dev_samples)" };
        var test = new Option<int?>("--test") { Description = "Number of test videos (overrides synthetic.test_samples)" };
        var format = new Option<SyntheticFileFormat>("--format") { Description = "png: labels files and a PNG per frame; mp4: an .mp4 per video and a manifest per split", DefaultValueFactory = _ => SyntheticFileFormat.Png };
        var force = new Option<bool>("--force") { Description = "Replace an earlier synthetic dataset in --out (only the files it lists in synthetic-files.txt; other files stay)" };

        var command = new Command("synth", "Write the built-in synthetic sign language dataset (labels + PNG frames, or .mp4 videos + manifests)")
        {
            output, annotations, limit, seed, train, dev, test, format, force,
        };
        config.AddTo(command);
        command.SetAction((parse, cancel) => CommandRunner.RunAsync(parse, stderr, token =>
        {
            var options = config.Load(parse).Synthetic;
            if (parse.GetValue(seed) is { } s) options = options with { Seed = s };
            if (parse.GetValue(train) is { } n) options = options with { TrainSamples = n };
            if (parse.GetValue(dev) is { } d) options = options with { DevSamples = d };
            if (parse.GetValue(test) is { } t) options = options with { TestSamples = t };
            options.ThrowIfInvalid();
            var sampleLimit = parse.GetValue(limit) ?? int.MaxValue;
            if (sampleLimit < 1) throw new InputException($"--limit must be >= 1, got {sampleLimit}");
            return Task.FromResult(Run(options, parse.GetValue(output)!.FullName, parse.GetValue(annotations), sampleLimit, parse.GetValue(force), parse.GetValue(format), stdout, parse.GetValue(GlobalOptions.Quiet), token));
        }, cancel));
        return command;
    }

    private static int Run(SyntheticOptions options, string folder, string? annotationPath, int limit, bool force, SyntheticFileFormat format, TextWriter stdout, bool quiet, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        var dataset = annotationPath is null
            ? SyntheticDataset.Create(options)
            : SyntheticDataset.FromAnnotations(options,
                AnnotationLabelsReader.SplitFiles(annotationPath).ToDictionary(f => f.Key, f => AnnotationLabelsReader.Read(f.Value, limit)));
        // --quiet keeps the result lines and drops the progress.
        var progress = quiet ? TextWriter.Null : stdout;
        progress.WriteLine($"Synthetic sign language: {dataset.Lexicon.Glosses.Count} glosses, {options.FrameWidth}x{options.FrameHeight} frames, seed {options.Seed}"
            + (annotationPath is null ? "" : $", driven by {annotationPath}"));

        var gate = new object();
        var lastReported = new Dictionary<string, int>();
        void Report(SynthesisProgress p)
        {
            // Roughly every tenth of a split, from whichever worker thread finished the video.
            var step = Math.Max(1, p.Total / 10);
            lock (gate)
            {
                var last = lastReported.GetValueOrDefault(p.Split);
                if (p.Done != p.Total && p.Done - last < step) return;
                lastReported[p.Split] = p.Done;
                progress.WriteLine($"  {p.Split}: {p.Done}/{p.Total} videos");
            }
        }

        var summary = SyntheticDatasetWriter.Write(dataset, folder, force, annotationPath, Report, cancel, format);
        foreach (var (split, (samples, frames)) in summary.Splits)
            stdout.WriteLine($"{split}: {samples} videos, {frames} frames -> {(format == SyntheticFileFormat.Png ? $"labels.{split}" : $"{split}.tsv")}");
        stdout.WriteLine($"Wrote {summary.Folder} in {clock.Elapsed.TotalSeconds:F1} s");
        return ExitCodes.Success;
    }
}
