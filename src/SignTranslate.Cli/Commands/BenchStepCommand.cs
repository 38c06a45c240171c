using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Serilog;
using SignTranslate.Benchmarks;

namespace SignTranslate.Cli.Commands;

/// <summary>
/// <c>slt bench step</c>: times the configured model's training step (forward, backward, optimizer) on random inputs and
/// reports the process's peak memory; <c>scripts/bench-step-pytorch.py</c> prints the same JSON for PyTorch.
/// </summary>
public static class BenchStepCommand
{
    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var defaults = new StepBenchmarkSettings();
        var config = new ConfigOptions();
        var stage = new Option<string>("--stage") { Description = "finetune or pretrain", DefaultValueFactory = _ => defaults.Stage };
        stage.AcceptOnlyFromAmong("finetune", "pretrain");
        var frames = new Option<int>("--frames") { Description = "Raw frames per video (collated as configured)", DefaultValueFactory = _ => defaults.Frames };
        var batch = new Option<int>("--batch") { Description = "Videos per batch", DefaultValueFactory = _ => defaults.Batch };
        var text = new Option<int>("--text") { Description = "Target tokens per sentence (with </s> and the language code)", DefaultValueFactory = _ => defaults.Text };
        var steps = new Option<int>("--steps") { Description = "Timed steps; medians are reported", DefaultValueFactory = _ => defaults.Steps };
        var warmup = new Option<int>("--warmup") { Description = "Untimed steps first", DefaultValueFactory = _ => defaults.Warmup };
        var vocab = new Option<int>("--vocab") { Description = "Vocabulary size of the random text", DefaultValueFactory = _ => defaults.Vocab };
        var seed = new Option<int>("--seed") { Description = "Seed of the weights and the inputs", DefaultValueFactory = _ => defaults.Seed };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of the summary" };
        var parts = new Option<bool>("--parts") { Description = "Then time each part of the translation model alone (frame CNN, TemporalConv, mBART layers, LM head and loss)" };
        var evaluate = new Option<bool>("--eval") { Description = "Time the translation model's forward without gradient (evaluation) instead of a training step" };

        var command = new Command("step", "Time one training step of the configured model on random inputs (forward, backward, optimizer, peak memory)")
        {
            stage, frames, batch, text, steps, warmup, vocab, seed, json, evaluate, parts,
        };
        config.AddTo(command);
        command.SetAction((parse, cancel) => CommandRunner.RunAsync(parse, stderr, token =>
        {
            var settings = new StepBenchmarkSettings
            {
                Stage = parse.GetValue(stage)!,
                Frames = parse.GetValue(frames),
                Batch = parse.GetValue(batch),
                Text = parse.GetValue(text),
                Steps = parse.GetValue(steps),
                Warmup = parse.GetValue(warmup),
                Vocab = parse.GetValue(vocab),
                Seed = parse.GetValue(seed),
                Evaluate = parse.GetValue(evaluate),
                Parts = parse.GetValue(parts),
            };
            if (Validate(settings) is { } problem) throw new InputException(problem);
            var result = StepBenchmark.Run(config.Load(parse), settings, line => Log.Information("{Line:l}", line), token);
            if (parse.GetValue(json))
            {
                stdout.WriteLine(JsonSerializer.Serialize(result, JsonOptions));
                return Task.FromResult(ExitCodes.Success);
            }
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{result.Stage} step, {result.Parameters:N0} parameters, batch {result.Batch} × {result.PaddedFrames} frames, {result.Threads} threads on {result.Device}: " +
                $"{result.StepMs / 1000:0.00} s (forward {result.ForwardMs / 1000:0.00}, backward {result.BackwardMs / 1000:0.00}, " +
                $"optimizer {result.OptimizerMs / 1000:0.00}; median of {result.Steps}), peak RSS {result.PeakRssMb:0} MB"));
            foreach (var part in result.Parts ?? [])
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {part.Part,-50} forward {part.ForwardMs / 1000,6:0.000} s  backward {part.BackwardMs / 1000,6:0.000} s  memory +{part.PeakGrowthMb,6:0} MB"));
            return Task.FromResult(ExitCodes.Success);
        }, cancel));
        return command;
    }

    private static string? Validate(StepBenchmarkSettings settings)
    {
        if (settings.Frames < 1) return $"--frames {settings.Frames}: expected a positive integer";
        if (settings.Batch < 1) return $"--batch {settings.Batch}: expected a positive integer";
        if (settings.Text < 3) return $"--text {settings.Text}: expected at least 3 (a word, </s> and the language code)";
        if (settings.Steps < 1) return $"--steps {settings.Steps}: expected a positive integer";
        if (settings.Warmup < 0) return $"--warmup {settings.Warmup}: expected 0 or more";
        return null;
    }
}
