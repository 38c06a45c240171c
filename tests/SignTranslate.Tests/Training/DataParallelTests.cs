using System.Diagnostics;
using SignTranslate.Checkpoints;
using SignTranslate.Tests.Cli;
using static TorchSharp.torch;

namespace SignTranslate.Tests.Training;

/// <summary>
/// Data-parallel training on MPI, through the real launcher: <c>mpirun -np 2</c> of the built <c>slt</c>. Skipped only
/// where no Open MPI runtime is installed (scripts/setup.sh installs it; CI runs that).
/// </summary>
[Collection(ProcessStateCollection.Name)]
public sealed class DataParallelTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("slt-mpi-");

    public void Dispose() => _dir.Delete(recursive: true);

    // 20 training videos in micro-batches of 2: 10 micro-batches, 5 optimizer steps of 2 each; dropout on.
    private string Config() => TinyExperiment.Write(_dir.FullName);

    private static readonly string[] Settings =
    [
        "--set", "synthetic.train_samples=20", "--set", "training.batch_size=2", "--set", "model.mbart.dropout=0.1",
        "--set", "run.threads=1", "--set", "training.eval_every_epochs=100",
    ];

    // Pretraining adds the masked-text decoder's optimizer, which must read the text encoder after the CLIP update of
    // every micro-batch, and SignCL's per-slot draws.
    [MpiTheory]
    [InlineData("finetune")]
    [InlineData("pretrain")]
    public void TwoProcessesEndWithTheWeightsOfOneAccumulatingTwoMicroBatches(string stage)
    {
        var config = Config();
        string[] settings = stage == "pretrain" ? [.. Settings, "--set", "signcl.enabled=true", "--set", "training.drop_last=true"] : Settings;
        var single = Path.Combine(_dir.FullName, "single");
        var result = CliRunner.Run([stage, "--config", config, "--run-dir", single, .. settings,
            "--set", "training.epochs=1", "--set", "training.accumulate_steps=2"]);
        Assert.True(result.ExitCode == 0, result.Stderr);

        var parallel = Path.Combine(_dir.FullName, "parallel");
        var (code, output) = Mpirun(2, [stage, "--config", config, "--run-dir", parallel, .. settings, "--set", "training.epochs=1"]);
        Assert.True(code == 0, output);
        Assert.Equal(5L, CheckpointStore.ReadMetadata(Last(parallel)).GlobalStep);

        var expected = CheckpointStore.ReadWeights(Last(single));
        var actual = CheckpointStore.ReadWeights(Last(parallel));
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (name, weight) in expected)
        {
            var scale = Math.Max(1e-12, weight.abs().max().to(ScalarType.Float64).item<double>());
            var diff = (weight.to(ScalarType.Float64) - actual[name].to(ScalarType.Float64)).abs().max().item<double>();
            Assert.True(diff <= 1e-5 * scale, $"{name}: max |diff| {diff:E2} against max |w| {scale:E2}");
        }
        // Only process 0 writes: one run folder, one metrics file, as one process writes it.
        Assert.Equal(File.ReadAllLines(Path.Combine(single, "metrics.jsonl")).Length, File.ReadAllLines(Path.Combine(parallel, "metrics.jsonl")).Length);
    }

    [MpiFact]
    public void AKilledProcessEndsTheJobAndTheResumedRunEndsBitIdentically()
    {
        var config = Config();
        string[] threeEpochs = [.. Settings, "--set", "training.epochs=3"];
        var straight = Path.Combine(_dir.FullName, "straight");
        var (code, output) = Mpirun(2, ["finetune", "--config", config, "--run-dir", straight, .. threeEpochs]);
        Assert.True(code == 0, output);

        // Kill process 1 once process 0 wrote the first epoch's checkpoint: mpirun ends the other one too, and says so.
        var killed = Path.Combine(_dir.FullName, "killed");
        var clock = Stopwatch.StartNew();
        (code, output) = Mpirun(2, ["finetune", "--config", config, "--run-dir", killed, .. threeEpochs], whileRunning: launcher =>
        {
            while (!Directory.Exists(Last(killed)) && !launcher.HasExited) Thread.Sleep(50);
            if (RankProcess(launcher.Id, 1) is { } rank1) rank1.Kill();
        });
        Assert.NotEqual(0, code);
        Assert.Contains("signal 9", output);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(40), $"the job took {clock.Elapsed} to end after the kill");

        (code, output) = Mpirun(2, ["finetune", "--resume", killed, .. threeEpochs]);
        Assert.True(code == 0, output);
        Assert.Equal(File.ReadAllBytes(Path.Combine(Last(straight), "model.safetensors")), File.ReadAllBytes(Path.Combine(Last(killed), "model.safetensors")));
        Assert.Equal(File.ReadAllLines(Path.Combine(straight, "metrics.jsonl")), File.ReadAllLines(Path.Combine(killed, "metrics.jsonl")));
    }

    [MpiFact]
    public void ResumingWithAnotherNumberOfMicroBatchesPerStepSaysSoAndTheSameNumberGoesOn()
    {
        var config = Config();
        var run = Path.Combine(_dir.FullName, "run");
        var (code, output) = Mpirun(2, ["finetune", "--config", config, "--run-dir", run, .. Settings, "--set", "training.epochs=1"]);
        Assert.True(code == 0, output);
        var result = CliRunner.Run(["finetune", "--resume", run, "--set", "training.epochs=2"]);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("written by 2 process(es) with 2 micro-batches per step", result.Stderr);
        // One process accumulating two micro-batches is the same computation: that resume goes on.
        result = CliRunner.Run(["finetune", "--resume", run, "--set", "training.epochs=2", "--set", "training.accumulate_steps=2"]);
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal(2, CheckpointStore.ReadMetadata(Last(run)).EpochsCompleted);
    }

    [Fact]
    public void TheAllReduceBenchmarkOutsideMpirunSaysHowToRunIt()
    {
        var result = CliRunner.Run(["bench", "allreduce", "--parameters", "1000"]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("run it under mpirun -np N", result.Stderr);
    }

    [MpiFact]
    public void TheAllReduceBenchmarkSumsOverTheProcesses()
    {
        var (code, output) = Mpirun(2, ["bench", "allreduce", "--parameters", "100000", "--tensors", "7", "--repeats", "2"]);
        Assert.True(code == 0, output);
        Assert.Contains("2 processes, 100,000 float32 values in 7 tensors:", output);
    }

    private static string Last(string run) => Path.Combine(run, "checkpoints", RunCheckpoints.LastLink);

    /// <summary>Runs the built slt under mpirun; kills it after a minute (a hang fails the test, not the suite).</summary>
    private static (int Code, string Output) Mpirun(int processes, string[] args, Action<Process>? whileRunning = null)
    {
        var slt = Path.Combine(AppContext.BaseDirectory, "slt");
        var start = new ProcessStartInfo("mpirun") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])["--allow-run-as-root", "--oversubscribe", "-np", processes.ToString(System.Globalization.CultureInfo.InvariantCulture), slt, .. args])
            start.ArgumentList.Add(arg);
        using var launcher = Process.Start(start)!;
        var stdout = launcher.StandardOutput.ReadToEndAsync();
        var stderr = launcher.StandardError.ReadToEndAsync();
        whileRunning?.Invoke(launcher);
        if (!launcher.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            launcher.Kill(entireProcessTree: true);
            throw new TimeoutException($"mpirun {string.Join(' ', args)} did not end within 60 s:\n{stderr.Result}");
        }
        launcher.WaitForExit();
        return (launcher.ExitCode, stdout.Result + stderr.Result);
    }

    /// <summary>The slt process of <paramref name="rank"/> that the launcher started (its environment names the rank).</summary>
    private static Process? RankProcess(int launcherId, int rank)
    {
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), out var pid)) continue;
            try
            {
                var environment = File.ReadAllText(Path.Combine(folder, "environ")).Split('\0');
                if (environment.Contains($"OMPI_COMM_WORLD_RANK={rank}") && environment.Any(e => e.StartsWith("OMPI_COMM_WORLD_SIZE=", StringComparison.Ordinal))
                    && ParentChainHas(pid, launcherId))
                    return Process.GetProcessById(pid);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
            {
            }
        }
        return null;
    }

    private static bool ParentChainHas(int pid, int ancestor)
    {
        for (var depth = 0; depth < 8 && pid > 1; depth++)
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            pid = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
            if (pid == ancestor) return true;
        }
        return false;
    }
}

/// <summary>A test that runs mpirun: skipped, saying why, where no MPI runtime is installed.</summary>
public sealed class MpiFactAttribute : FactAttribute
{
    public MpiFactAttribute()
    {
        Skip = MpiRuntime.Missing;
    }
}

/// <summary>A theory that runs mpirun: skipped, saying why, where no MPI runtime is installed.</summary>
public sealed class MpiTheoryAttribute : TheoryAttribute
{
    public MpiTheoryAttribute()
    {
        Skip = MpiRuntime.Missing;
    }
}

internal static class MpiRuntime
{
    /// <summary>Why an MPI test cannot run here, or null.</summary>
    public static string? Missing
    {
        get
        {
            string[] folders = [.. (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)];
            return folders.Any(folder => File.Exists(Path.Combine(folder, "mpirun"))) ? null
                : "no MPI runtime (mpirun) is installed: scripts/setup.sh installs Open MPI (apt-get install openmpi-bin)";
        }
    }
}
