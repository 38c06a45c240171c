using System.CommandLine;
using System.Diagnostics;
using Serilog;
using SignTranslate.Metrics;
using SignTranslate.Text;

namespace SignTranslate.Cli.Commands;

/// <summary>
/// <c>slt compare</c>: corpus BLEU-4 and COCO ROUGE-L of several systems on the same references, each with a 95%
/// bootstrap confidence interval, and a paired bootstrap p-value for every pair of systems (sacreBLEU 2.x's
/// paired bootstrap resampling, with its own seeded generator).
/// </summary>
public static class CompareCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var references = new Option<string?>("--ref") { Description = "References, one per line, UTF-8 (required)", HelpName = "FILE" };
        var hypotheses = new Option<string[]>("--hyp")
        {
            Description = "Hypotheses of one system, one per line, UTF-8; repeat for every system (at least one)",
            HelpName = "FILE",
        };
        var scoring = new ScoringCliOptions();
        var samples = new Option<int>("--samples")
        {
            Description = "Bootstrap resamples",
            DefaultValueFactory = _ => PairedBootstrap.DefaultSamples,
        };
        var seed = new Option<long>("--seed")
        {
            Description = "Seed of the resampled line indices (same seed, same numbers)",
            DefaultValueFactory = _ => PairedBootstrap.DefaultSeed,
        };
        var json = new Option<bool>("--json") { Description = "Print one JSON object with unrounded scores, intervals and p-values" };

        var command = new Command("compare",
            "BLEU-4 and ROUGE-L of several systems with 95% bootstrap confidence intervals and paired bootstrap p-values")
        {
            references, hypotheses,
        };
        scoring.AddTo(command);
        command.Options.Add(samples);
        command.Options.Add(seed);
        command.Options.Add(json);
        command.SetAction(parse => CommandRunner.Run(parse, stderr, () =>
        {
            var referencePath = parse.GetValue(references) ?? throw new InputException("--ref FILE is required");
            var hypothesisPaths = parse.GetValue(hypotheses) ?? [];
            if (hypothesisPaths.Length == 0)
                throw new InputException("--hyp FILE is required (repeat it once per system)");
            var options = scoring.Read(parse);
            var sampleCount = parse.GetValue(samples);
            if (sampleCount < 1)
                throw new InputException($"--samples must be at least 1, not {sampleCount}");

            var referenceLines = Utf8LineFile.Read(referencePath);
            if (referenceLines.Count == 0)
                throw new InputException($"{referencePath} has no lines; there is nothing to compare");
            var systems = new List<IReadOnlyList<SegmentScore>>();
            foreach (var path in hypothesisPaths)
            {
                var lines = Utf8LineFile.Read(path);
                if (lines.Count != referenceLines.Count)
                    throw new InputException(
                        $"{path} has {lines.Count} lines but {referencePath} has {referenceLines.Count}; every hypothesis needs one reference line");
                systems.Add(CorpusScorer.ScoreSegments(lines, referenceLines, options));
            }

            var stopwatch = Stopwatch.StartNew();
            var result = PairedBootstrap.Run(systems, options, sampleCount, parse.GetValue(seed));
            Log.Debug("Resampled {Samples} x {Lines} lines for {Systems} systems in {Milliseconds:F1} ms",
                result.Samples, result.Lines, systems.Count, stopwatch.Elapsed.TotalMilliseconds);

            stdout.Write(parse.GetValue(json)
                ? CompareReport.Json(hypothesisPaths, result, options)
                : CompareReport.Table(hypothesisPaths, result, options));
            return ExitCodes.Success;
        }));
        return command;
    }
}
