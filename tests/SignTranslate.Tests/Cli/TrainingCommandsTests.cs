using System.Text.Json;
using SignTranslate.Checkpoints;
using SignTranslate.Cli;
using SignTranslate.Tests.Training;

namespace SignTranslate.Tests.Cli;

/// <summary>A tiny finetuning run made once through the CLI, shared by the tests of the commands that read its checkpoints.</summary>
public sealed class TinyFinetuneRun : IDisposable
{
    public TinyFinetuneRun()
    {
        Folder = Directory.CreateTempSubdirectory("slt-cli-train-").FullName;
        Config = TinyExperiment.Write(Folder);
        Run = Path.Combine(Folder, "finetune");
        var result = CliRunner.Run("finetune", "--config", Config, "--run-dir", Run, "--set", "training.epochs=2", "-q");
        if (result.ExitCode != ExitCodes.Success) throw new InvalidOperationException($"tiny finetune failed: {result.Stderr}");
        Stdout = result.Stdout;
    }

    public string Folder { get; }
    public string Config { get; }
    public string Run { get; }
    public string Stdout { get; }
    public string Best => Path.Combine(Run, "checkpoints", "best");

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}

[Collection(ProcessStateCollection.Name)]
public sealed class TrainingCommandsTests(TinyFinetuneRun run) : IClassFixture<TinyFinetuneRun>
{
    [Fact]
    public void FinetuneWritesTheRunFolderAndSaysWhereTheCheckpointsAre()
    {
        foreach (var name in new[] { "config.yaml", "log.txt", "metrics.jsonl", "checkpoints/last/model.safetensors", "checkpoints/best/meta.json", "checkpoints/best/tokenizer/tokenizer.json" })
            Assert.True(File.Exists(Path.Combine(run.Run, name)), name);
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(run.Run, "tensorboard"), "events.out.tfevents.*", SearchOption.AllDirectories));
        Assert.Contains($"best checkpoint: {run.Best}", run.Stdout);
        Assert.Equal(2, CheckpointStore.ReadMetadata(Path.Combine(run.Run, "checkpoints", "last")).EpochsCompleted);
    }

    [Fact]
    public async Task EvalReproducesTheDevBleuThatTrainingLogged()
    {
        var logged = CheckpointStore.ReadMetadata(run.Best).Metrics["dev_bleu4"];
        Assert.True(logged > 0, "the tiny run should translate something right, or the comparison below proves little");
        var outFolder = Path.Combine(run.Folder, "eval-dev");
        var result = await CliRunner.RunAsync("eval", "--checkpoint", run.Best, "--split", "dev", "--out", outFolder, "--json", "-q");
        Assert.True(result.ExitCode == ExitCodes.Success, result.Stderr);

        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(outFolder, "report.json")));
        var root = report.RootElement;
        Assert.Equal("dev", root.GetProperty("split").GetString());
        Assert.Equal(run.Best, root.GetProperty("checkpoint").GetString());
        Assert.Equal(4, root.GetProperty("samples").GetInt32());
        foreach (var key in new[] { "bleu1", "bleu2", "bleu3", "rouge_l" })
            Assert.InRange(root.GetProperty(key).GetDouble(), 0, 100);
        Assert.Equal(logged, root.GetProperty("bleu4").GetDouble(), 10);
        Assert.Equal(4, File.ReadAllLines(Path.Combine(outFolder, "hypotheses.txt")).Length);
        Assert.Equal(4, File.ReadAllLines(Path.Combine(outFolder, "references.txt")).Length);
    }

    [Fact]
    public async Task EvalBaselineScoresTheMostFrequentTrainingSentence()
    {
        var result = await CliRunner.RunAsync("eval", "--checkpoint", run.Best, "--split", "test", "--baseline", "--json", "-q");
        Assert.True(result.ExitCode == ExitCodes.Success, result.Stderr);
        using var report = JsonDocument.Parse(result.Stdout);
        var sentence = report.RootElement.GetProperty("baseline_sentence").GetString()!;
        Assert.False(string.IsNullOrWhiteSpace(sentence));
        Assert.InRange(report.RootElement.GetProperty("baseline_bleu4").GetDouble(), 0, 100);
    }

    [Fact]
    public async Task TranslateOfFramesOnDiskMatchesTheEvaluationOfTheSameVideo()
    {
        var synth = Path.Combine(run.Folder, "synth");
        Assert.Equal(ExitCodes.Success, (await CliRunner.RunAsync("synth", "--config", run.Config, "--out", synth, "-q")).ExitCode);
        var outFolder = Path.Combine(run.Folder, "eval-test");
        Assert.Equal(ExitCodes.Success, (await CliRunner.RunAsync("eval", "--checkpoint", run.Best, "--split", "test", "--out", outFolder, "-q")).ExitCode);
        var ids = File.ReadAllLines(Path.Combine(outFolder, "ids.txt"));
        var hypotheses = File.ReadAllLines(Path.Combine(outFolder, "hypotheses.txt"));

        var one = await CliRunner.RunAsync("translate", "--checkpoint", run.Best, Path.Combine(synth, "frames", ids[1]), "-q");
        Assert.True(one.ExitCode == ExitCodes.Success, one.Stderr);
        Assert.Equal(hypotheses[1], one.Stdout.TrimEnd('\n'));

        var two = await CliRunner.RunAsync("translate", "--checkpoint", run.Best, Path.Combine(synth, "frames", ids[0]), Path.Combine(synth, "frames", ids[2]), "-q");
        Assert.Equal([$"{Path.Combine(synth, "frames", ids[0])}\t{hypotheses[0]}", $"{Path.Combine(synth, "frames", ids[2])}\t{hypotheses[2]}"],
            two.Stdout.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task UserErrorsAreOneLineAndExitTwo()
    {
        var missing = await CliRunner.RunAsync("eval", "--checkpoint", Path.Combine(run.Folder, "nope"));
        Assert.Equal(ExitCodes.InputError, missing.ExitCode);
        Assert.Contains("checkpoint folder not found", missing.Stderr);

        var noConfig = await CliRunner.RunAsync("pretrain");
        Assert.Equal(ExitCodes.InputError, noConfig.ExitCode);
        Assert.Contains("needs --config", noConfig.Stderr);

        var taken = await CliRunner.RunAsync("finetune", "--config", run.Config, "--run-dir", run.Run);
        Assert.Equal(ExitCodes.InputError, taken.ExitCode);
        Assert.Contains("holds a run with a checkpoint; resume it with --resume", taken.Stderr);

        var noFrames = await CliRunner.RunAsync("translate", "--checkpoint", run.Best, run.Folder);
        Assert.Equal(ExitCodes.InputError, noFrames.ExitCode);
        Assert.Contains("no PNG or JPEG frames", noFrames.Stderr);

        var cuda = await CliRunner.RunAsync("eval", "--checkpoint", run.Best, "--device", "cuda");
        Assert.Equal(ExitCodes.InputError, cuda.ExitCode);
        Assert.Contains("no CUDA support", cuda.Stderr);
    }

    [Fact]
    public async Task CtrlCDuringEvalTranslateOrDensityExitsWith130()
    {
        var synth = Path.Combine(run.Folder, "synth-cancel");
        Assert.Equal(ExitCodes.Success, (await CliRunner.RunAsync("synth", "--config", run.Config, "--out", synth, "-q")).ExitCode);
        var video = Directory.GetDirectories(Path.Combine(synth, "frames"), "*", SearchOption.AllDirectories)
            .First(d => Directory.EnumerateFiles(d, "*.png").Any());
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        foreach (var args in new[]
        {
            new[] { "eval", "--checkpoint", run.Best, "--out", Path.Combine(run.Folder, "eval-cancelled") },
            new[] { "translate", "--checkpoint", run.Best, video },
            new[] { "density", "--checkpoint", run.Best, "--out", Path.Combine(run.Folder, "density-cancelled") },
        })
        {
            var result = await CliRunner.RunAsync(cancelled.Token, [.. args, "-q"]);
            Assert.True(result.ExitCode == ExitCodes.Interrupted, $"{args[0]}: {result.ExitCode} {result.Stderr}");
            Assert.Equal("slt: cancelled", result.Stderr.Trim());
            Assert.Equal("", result.Stdout);
        }
        Assert.False(File.Exists(Path.Combine(run.Folder, "eval-cancelled", "report.json")));
    }
}
