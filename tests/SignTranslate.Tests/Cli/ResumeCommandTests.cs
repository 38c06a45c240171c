using SignTranslate.Checkpoints;
using SignTranslate.Cli;
using SignTranslate.Tests.Training;

namespace SignTranslate.Tests.Cli;

/// <summary>A finished one-epoch tiny finetuning run through the CLI, which the tests copy before damaging.</summary>
public sealed class FinishedTinyRun : IDisposable
{
    public FinishedTinyRun()
    {
        Folder = Directory.CreateTempSubdirectory("slt-cli-resume-").FullName;
        Config = TinyExperiment.Write(Folder);
        Run = Path.Combine(Folder, "finished");
        var result = CliRunner.Run("finetune", "--config", Config, "--run-dir", Run, "--set", "training.epochs=1", "-q");
        if (result.ExitCode != ExitCodes.Success) throw new InvalidOperationException($"tiny finetune failed: {result.Stderr}");
        (Weights, Metrics) = CrashSafeRun.Final(Run);
    }

    public string Folder { get; }
    public string Config { get; }
    public string Run { get; }
    public byte[] Weights { get; }
    public string Metrics { get; }

    /// <summary>A copy of the finished run to damage.</summary>
    public string Copy(string name)
    {
        var copy = Path.Combine(Folder, name);
        CrashSafeRun.Copy(Run, copy);
        return copy;
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}

[Collection(ProcessStateCollection.Name)]
public sealed class ResumeCommandTests(FinishedTinyRun finished) : IClassFixture<FinishedTinyRun>
{
    private static void AssertOneLineInputError(CliRunner.Result result, string expected)
    {
        Assert.Equal(ExitCodes.InputError, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("slt: error: ", line);
        Assert.Contains(expected, line);
    }

    private void AssertSameAsFinished(string run)
    {
        var (weights, metrics) = CrashSafeRun.Final(run);
        Assert.Equal(finished.Metrics, metrics);
        Assert.True(finished.Weights.AsSpan().SequenceEqual(weights), "final weights differ");
    }

    [Theory]
    [InlineData(CheckpointStore.WeightsFile, "truncated")]
    [InlineData("optimizer.model.bin", "truncated")]
    [InlineData(CheckpointStore.RngFile, "truncated")]
    [InlineData(CheckpointStore.WeightsFile, "damaged")]
    public async Task ADamagedCheckpointFileOnResumeIsOneLineAndExitsTwo(string file, string damage)
    {
        var run = finished.Copy($"{damage}-{file}");
        var path = Path.Combine(run, "checkpoints", "last", file);
        var bytes = File.ReadAllBytes(path);
        if (damage == "truncated") File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        else
        {
            bytes[^1] ^= 0xFF;
            File.WriteAllBytes(path, bytes);
        }

        var result = await CliRunner.RunAsync("finetune", "--resume", run, "--set", "training.epochs=2", "-q");
        AssertOneLineInputError(result, $"{Path.Combine(run, "checkpoints", "epoch-001", file)}: {damage}");
        Assert.Contains($"restore it, or delete {Path.Combine(run, "checkpoints")} to start the run over", result.Stderr);
        Assert.True(File.Exists(path), "a damaged checkpoint is left for the user to restore");

        var eval = await CliRunner.RunAsync("eval", "--checkpoint", Path.Combine(run, "checkpoints", "last"), "-q");
        if (file == CheckpointStore.WeightsFile) AssertOneLineInputError(eval, $"{file}: {damage}");
    }

    [Fact]
    public async Task ARunKilledBeforeItsFirstCheckpointCanBeResumedOrStartedAgain()
    {
        // What a kill -9 during the first epoch leaves: step records, an event file, a checkpoint being written.
        string KilledEarly(string name)
        {
            var run = finished.Copy(name);
            var checkpoints = Path.Combine(run, "checkpoints");
            Directory.Delete(checkpoints, recursive: true);
            Directory.CreateDirectory(Path.Combine(checkpoints, ".tmp-epoch-001"));
            File.WriteAllText(Path.Combine(checkpoints, ".tmp-epoch-001", CheckpointStore.WeightsFile), "partial");
            File.WriteAllLines(Path.Combine(run, "metrics.jsonl"), File.ReadAllLines(Path.Combine(run, "metrics.jsonl")).Take(1));
            return run;
        }

        var resumed = KilledEarly("killed-resume");
        var result = await CliRunner.RunAsync("finetune", "--resume", resumed);
        Assert.True(result.ExitCode == ExitCodes.Success, result.Stderr);
        Assert.Contains("holds no complete checkpoint yet: starting the run over", File.ReadAllText(Path.Combine(resumed, "log.txt")));
        AssertSameAsFinished(resumed);
        CrashSafeRun.AssertTidy(resumed, "started over by --resume");

        var reused = KilledEarly("killed-reuse");
        result = await CliRunner.RunAsync("finetune", "--config", finished.Config, "--run-dir", reused, "--set", "training.epochs=1");
        Assert.True(result.ExitCode == ExitCodes.Success, result.Stderr);
        Assert.Contains("stopped before its first checkpoint: starting it over", File.ReadAllText(Path.Combine(reused, "log.txt")));
        AssertSameAsFinished(reused);
        CrashSafeRun.AssertTidy(reused, "started over by --run-dir");
    }

    [Fact]
    public async Task AFailedInitLeavesARunFolderThatCanBeStartedAgain()
    {
        var run = Path.Combine(finished.Folder, "bad-init");
        var notACheckpoint = Path.Combine(finished.Folder, "not-a-checkpoint");
        Directory.CreateDirectory(notACheckpoint);

        var failed = await CliRunner.RunAsync("finetune", "--config", finished.Config, "--run-dir", run, "--init", notACheckpoint, "-q");
        AssertOneLineInputError(failed, "not a checkpoint folder");

        var missing = await CliRunner.RunAsync("finetune", "--config", finished.Config, "--run-dir", Path.Combine(finished.Folder, "no-init"),
            "--init", Path.Combine(finished.Folder, "nope"), "-q");
        AssertOneLineInputError(missing, "no such checkpoint file or folder");
        Assert.False(Directory.Exists(Path.Combine(finished.Folder, "no-init")), "a missing --init is reported before the run folder is made");

        var again = await CliRunner.RunAsync("finetune", "--config", finished.Config, "--run-dir", run, "--set", "training.epochs=1", "-q");
        Assert.True(again.ExitCode == ExitCodes.Success, again.Stderr);
        AssertSameAsFinished(run);
    }

    [Fact]
    public async Task ResumingAFinishedRunNamesTheSelectionMetric()
    {
        var run = finished.Copy("finished-again");
        var result = await CliRunner.RunAsync("finetune", "--resume", run, "-q");
        Assert.True(result.ExitCode == ExitCodes.Success, result.Stderr);
        Assert.Matches(@"best checkpoint: .*/checkpoints/best \(dev_bleu4 \d+(\.\d+)?\)", result.Stdout);
        AssertSameAsFinished(run);
    }
}
