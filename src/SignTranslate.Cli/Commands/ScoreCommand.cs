using System.CommandLine;
using System.Diagnostics;
using Serilog;
using SignTranslate.Metrics;
using SignTranslate.Text;

namespace SignTranslate.Cli.Commands;

/// <summary>
/// <c>slt score</c>: corpus BLEU-1..4 (sacreBLEU 2.x) and COCO ROUGE-L of a hypothesis file against a reference
/// file, one segment per line.
/// </summary>
public static class ScoreCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var hypotheses = new Option<string?>("--hyp") { Description = "Hypotheses, one per line, UTF-8 (required)", HelpName = "FILE" };
        var references = new Option<string?>("--ref") { Description = "References, one per line, UTF-8 (required)", HelpName = "FILE" };
        var scoring = new ScoringCliOptions();
        var json = new Option<bool>("--json") { Description = "Print one JSON object with unrounded scores and statistics" };

        var command = new Command("score", "Corpus BLEU-1..4 (sacreBLEU 2.x, exp smoothing) and COCO ROUGE-L of hypotheses against references")
        {
            hypotheses, references,
        };
        scoring.AddTo(command);
        command.Options.Add(json);
        command.SetAction(parse => CommandRunner.Run(parse, stderr, () =>
        {
            var hypothesisPath = parse.GetValue(hypotheses) ?? throw new InputException("--hyp FILE is required");
            var referencePath = parse.GetValue(references) ?? throw new InputException("--ref FILE is required");
            var options = scoring.Read(parse);

            var hypothesisLines = Utf8LineFile.Read(hypothesisPath);
            var referenceLines = Utf8LineFile.Read(referencePath);
            if (hypothesisLines.Count != referenceLines.Count)
                throw new InputException(
                    $"{hypothesisPath} has {hypothesisLines.Count} lines but {referencePath} has {referenceLines.Count}; every hypothesis needs one reference line");

            var stopwatch = Stopwatch.StartNew();
            var score = CorpusScorer.Score(hypothesisLines, referenceLines, options);
            Log.Debug("Scored {Lines} lines in {Milliseconds:F1} ms", score.Segments, stopwatch.Elapsed.TotalMilliseconds);

            stdout.Write(parse.GetValue(json) ? ScoreReport.Json(score) : ScoreReport.Table(score));
            return ExitCodes.Success;
        }));
        return command;
    }
}
