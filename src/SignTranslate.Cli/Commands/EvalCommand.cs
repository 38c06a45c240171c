using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Serilog;
using SignTranslate.Data;
using SignTranslate.Files;
using SignTranslate.Text;
using SignTranslate.Training;
using TorchSharp;

namespace SignTranslate.Cli.Commands;

/// <summary>
/// <c>slt eval --checkpoint CKPT [--split dev|test] [--beam N] [--out DIR]</c>: translates a split with a finetuned
/// checkpoint and scores it with the checkpoint's own text handling (e.g. char-split for CSL-Daily). Writes
/// hypotheses, references and <c>report.json</c> into DIR.
/// </summary>
public static class EvalCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var checkpoint = SharedOptions.Checkpoint();
        var split = SharedOptions.Split("Which split to translate");
        var beam = SharedOptions.Beam();
        var output = new Option<DirectoryInfo?>("--out", "-o") { Description = "Write hypotheses.txt, references.txt, ids.txt and report.json here" };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON instead of a table" };
        var baseline = new Option<bool>("--baseline") { Description = "Also score the constant baseline: the most frequent training sentence for every video" };
        var set = new ConfigOptions(configRequired: false).Set;
        var device = SharedOptions.DeviceOfCheckpoint();
        var command = new Command("eval", "Translate a dev/test split with a checkpoint and report BLEU-1..4 and ROUGE-L")
        {
            checkpoint, split, beam, output, json, baseline, set, device,
        };
        command.SetAction((parse, cancel) => CommandRunner.RunAsync(parse, stderr, token =>
        {
            var overrides = (parse.GetValue(set) ?? []).ToList();
            if (parse.GetValue(beam) is { } b) overrides.Add($"eval.num_beams={b}");
            if (parse.GetValue(device) is { } d) overrides.Add($"run.device={d}");
            var splitName = parse.GetValue(split)!;
            return Task.FromResult(Run(parse.GetValue(checkpoint)!.FullName, Enum.Parse<Split>(splitName, ignoreCase: true), overrides,
                parse.GetValue(output)?.FullName, parse.GetValue(json), parse.GetValue(baseline), stdout, token));
        }, cancel));
        return command;
    }

    private static int Run(string checkpointFolder, Split split, IReadOnlyList<string> overrides, string? outFolder, bool json,
        bool withBaseline, TextWriter stdout, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        // Translating a split takes minutes: a folder that cannot take the results must fail now, not after.
        if (outFolder is not null) OutputFolder.EnsureWritable(outFolder, "--out");
        var checkpoint = TrainedModels.Read(checkpointFolder, overrides);
        var config = checkpoint.Config;
        var device = TrainedModels.PrepareDevice(config);
        using var model = TrainedModels.LoadSlt(checkpoint, device);
        var data = ExperimentData.Open(config);
        var builder = data.Batches(split, checkpoint.Tokenizer, training: false, withMaskedText: false);
        var splitName = split.ToString().ToLowerInvariant();
        Log.Information("Translating {Count} {Split} videos with {Checkpoint} (beam {Beam})", builder.Samples.Count, splitName, checkpoint.Folder, config.Eval.NumBeams);
        SplitTranslation result;
        using (torch.no_grad())
        using (var prefetch = EvaluationBatches.Prefetch(builder, builder.Samples.Count, config.Training.EvalBatchSize, config.Run.Seed,
            config.Data.Prefetch, cancel))
        {
            var step = Math.Max(1, builder.Samples.Count / 10);
            var reported = 0;
            result = SplitTranslator.Translate(model, prefetch.Remaining(), checkpoint.Tokenizer, config.Eval, device, cancel, done =>
            {
                if (done - reported < step && done < builder.Samples.Count) return;
                reported = done;
                Log.Information("  {Done}/{Total} videos", done, builder.Samples.Count);
            });
        }
        var report = EvalReport.From(result, splitName, checkpoint, clock.Elapsed);
        if (withBaseline)
        {
            var sentence = ConstantSentenceBaseline.MostFrequent(data.Samples(Split.Train).Select(s => s.Text));
            var score = ConstantSentenceBaseline.Score(sentence, result.References, config.Eval.Scoring);
            report = report with { BaselineSentence = sentence, BaselineBleu4 = score.Bleu4, BaselineRougeL = score.RougeL };
        }
        if (outFolder is not null)
        {
            UserFiles.CreateDirectory(outFolder);
            Utf8LineFile.WriteLines(Path.Combine(outFolder, "hypotheses.txt"), result.Hypotheses);
            Utf8LineFile.WriteLines(Path.Combine(outFolder, "references.txt"), result.References);
            Utf8LineFile.WriteLines(Path.Combine(outFolder, "ids.txt"), result.Ids);
            UserFiles.WriteAllText(Path.Combine(outFolder, "report.json"), report.ToJson() + "\n");
        }
        if (json)
        {
            stdout.WriteLine(report.ToJson());
        }
        else
        {
            stdout.WriteLine(report.Table());
            if (outFolder is not null) stdout.WriteLine($"wrote {Path.Combine(outFolder, "report.json")}");
        }
        return ExitCodes.Success;
    }
}

/// <summary>What <c>slt eval</c> reports (<c>report.json</c>).</summary>
public sealed record EvalReport
{
    public required string Split { get; init; }
    public required string Checkpoint { get; init; }
    public required int Samples { get; init; }
    public required double Bleu1 { get; init; }
    public required double Bleu2 { get; init; }
    public required double Bleu3 { get; init; }
    public required double Bleu4 { get; init; }
    public required double RougeL { get; init; }
    public required string BleuSignature { get; init; }
    public required string Preprocess { get; init; }
    public required int NumBeams { get; init; }
    public required int Epoch { get; init; }
    public required double Seconds { get; init; }

    /// <summary>With <c>--baseline</c>: the most frequent training sentence and its scores when output for every video.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? BaselineSentence { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? BaselineBleu4 { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? BaselineRougeL { get; init; }

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static EvalReport From(SplitTranslation result, string split, CheckpointContents checkpoint, TimeSpan elapsed) => new()
    {
        Split = split,
        Checkpoint = checkpoint.Folder,
        Samples = result.Hypotheses.Count,
        Bleu1 = result.Score.Bleu1,
        Bleu2 = result.Score.Bleu2,
        Bleu3 = result.Score.Bleu3,
        Bleu4 = result.Score.Bleu4,
        RougeL = result.Score.RougeL,
        BleuSignature = result.Score.Signature,
        Preprocess = result.Score.Options.PreprocessName(),
        NumBeams = checkpoint.Config.Eval.NumBeams,
        Epoch = checkpoint.Metadata.EpochsCompleted,
        Seconds = Math.Round(elapsed.TotalSeconds, 2),
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public string Table()
    {
        var table = string.Create(CultureInfo.InvariantCulture,
            $"""
            {Split} ({Samples} videos, beam {NumBeams}, {Preprocess}, {BleuSignature})
            | system                  | BLEU-1 | BLEU-2 | BLEU-3 | BLEU-4 | ROUGE-L |
            |-------------------------|-------:|-------:|-------:|-------:|--------:|
            | {$"model (epoch {Epoch})",-23} | {Bleu1,6:0.00} | {Bleu2,6:0.00} | {Bleu3,6:0.00} | {Bleu4,6:0.00} | {RougeL,7:0.00} |
            """);
        if (BaselineBleu4 is { } b4 && BaselineRougeL is { } rl)
            table += string.Create(CultureInfo.InvariantCulture,
                $"\n| most frequent sentence  |        |        |        | {b4,6:0.00} | {rl,7:0.00} |\n  (baseline: \"{BaselineSentence}\" for every video)");
        return table;
    }
}
