using System.CommandLine;
using System.Globalization;
using SignTranslate.Data;
using SignTranslate.Data.FrameCache;

namespace SignTranslate.Cli.Commands;

/// <summary>
/// <c>slt data check --config FILE [--set k=v]... [--labels-only]</c>: validates the configured dataset and prints a
/// summary; exits 2 with one line per problem on stderr when anything is wrong.
/// </summary>
public static class DataCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var options = new ConfigOptions();
        var labelsOnly = new Option<bool>("--labels-only") { Description = "Check the annotations and tokenizer only, not the frame files" };
        var check = new Command("check", "Validate every sample of the configured dataset and print a summary");
        options.AddTo(check);
        check.Options.Add(labelsOnly);
        check.SetAction(parse => CommandRunner.Run(parse, stderr, () =>
        {
            var config = options.Load(parse);
            var report = DatasetChecker.Check(config.Data, config.BaseDirectory, parse.GetValue(labelsOnly),
                config.Model.ReadsFrames, config.Model.ReadsKeypoints);
            Print(report, config.Data, config.BaseDirectory, stdout);
            if (report.Ok) return ExitCodes.Success;
            foreach (var problem in report.Problems) stderr.WriteLine($"slt: problem: {problem}");
            stderr.WriteLine($"slt: error: {report.Problems.Count} problem{(report.Problems.Count == 1 ? "" : "s")} found");
            return ExitCodes.InputError;
        }));

        var command = new Command("data", "Inspect, validate, import and prepare datasets");
        command.Subcommands.Add(check);
        command.Subcommands.Add(DataImportCommand.Create(stdout, stderr));
        command.Subcommands.Add(CreatePrepare(stdout, stderr));
        return command;
    }

    /// <summary>
    /// <c>slt data prepare --config FILE [--set k=v]... [--jobs N]</c>: fills data.cache.folder with every clip of every
    /// split; rerunning continues an interrupted run. Exits 2 listing the clips that could not be decoded.
    /// </summary>
    private static Command CreatePrepare(TextWriter stdout, TextWriter stderr)
    {
        var options = new ConfigOptions();
        var jobs = new Option<int>("--jobs", "-j")
        {
            Description = "Clips decoded at once (default: the number of CPU cores)",
            DefaultValueFactory = _ => Environment.ProcessorCount,
        };
        var prepare = new Command("prepare", "Decode every clip once into the frame cache (data.cache.folder); resumable");
        options.AddTo(prepare);
        prepare.Options.Add(jobs);
        prepare.SetAction((parse, cancel) => CommandRunner.RunAsync(parse, stderr, token =>
        {
            if (parse.GetValue(jobs) < 1) throw new InputException($"--jobs must be at least 1, got {parse.GetValue(jobs)}");
            var config = options.Load(parse);
            var report = FrameCachePreparer.Prepare(config.Data, config.BaseDirectory, parse.GetValue(jobs), token);
            stdout.WriteLine($"frame cache {report.Folder}: {report.Clips} clips, {report.Written} written, {report.Unchanged} unchanged, " +
                             $"{report.Problems.Count} problem{(report.Problems.Count == 1 ? "" : "s")}");
            if (report.Ok) return Task.FromResult(ExitCodes.Success);
            foreach (var problem in report.Problems) stderr.WriteLine($"slt: problem: {problem}");
            stderr.WriteLine($"slt: error: {report.Problems.Count} clip{(report.Problems.Count == 1 ? "" : "s")} not cached; " +
                             "fix them and run slt data prepare again (cached clips are kept)");
            return Task.FromResult(ExitCodes.InputError);
        }, cancel));
        return prepare;
    }

    private static void Print(DataCheckReport report, DataOptions data, string configFolder, TextWriter stdout)
    {
        var c = CultureInfo.InvariantCulture;
        var kind = YamlDotNet.Serialization.NamingConventions.UnderscoredNamingConvention.Instance.Apply(data.Kind.ToString());
        stdout.WriteLine(data.Kind == DatasetKind.Manifest
            ? $"dataset: {kind}, manifests under {DataPaths.Root(data, configFolder)} (videos and frames relative to them)"
            : $"dataset: {kind}, annotations under {DataPaths.Root(data, configFolder)}, frames under {DataPaths.ImageRoot(data, configFolder)}");
        stdout.WriteLine($"{"split",-6} {"samples",8}  {"frames min / mean / median / max",-34} {">cap",5} {"words",6} {"tokens",8} {"unknown",8}");
        foreach (var s in report.Splits)
        {
            // Video files are counted by decoding them, which --labels-only skips.
            var frames = s.Samples > 0 && s.MaxFrames == 0 && !report.FramesChecked
                ? "not counted (video files)"
                : string.Create(c, $"{s.MinFrames} / {s.MeanFrames:F1} / {s.MedianFrames:0.#} / {s.MaxFrames}");
            stdout.WriteLine(string.Create(c,
                $"{s.Split.ToString().ToLowerInvariant(),-6} {s.Samples,8}  {frames,-34} {s.OverFrameCap,5} {s.MeanWords,6:F2} {s.Tokens,8} {s.UnknownRate,8:P2}"));
        }
        stdout.WriteLine(report.VocabularySize is { } size
            ? $"tokenizer: {report.TokenizerKind}, vocabulary {size}"
            : $"tokenizer: {report.TokenizerKind} (not loaded)");
        stdout.WriteLine(report.FramesChecked ? "frames: every frame checked" : "frames: not checked (--labels-only)");
        if (report.FramesChecked && DataPaths.CacheFolder(data, configFolder) is { } cache)
            stdout.WriteLine($"frame cache: {cache} checked");
        stdout.WriteLine(report.Ok ? "no problems found" : $"{report.Problems.Count} problem(s) found");
    }
}
