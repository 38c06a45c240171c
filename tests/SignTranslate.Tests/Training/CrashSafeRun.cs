using SignTranslate.Checkpoints;
using SignTranslate.Text;
using SignTranslate.Training;
using SignTranslate.Training.Tasks;
using static TorchSharp.torch;

namespace SignTranslate.Tests.Training;

/// <summary>
/// A tiny two-epoch finetuning (dropout on, so the restored RNG matters) trained whole once, and helpers to train the
/// same run in pieces and compare what it ends with: the final weights file byte for byte and metrics.jsonl line for line.
/// </summary>
public sealed class CrashSafeRun : IDisposable
{
    public static readonly ExperimentConfig Config = TinyExperiment.Config("synthetic.train_samples=12", "model.mbart.dropout=0.1",
        "training.optimizer.optimizer=sgd", "training.optimizer.lr=0.05", "training.optimizer.schedule=epoch_faithful");

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("slt-crash-safe-");

    public CrashSafeRun()
    {
        Data = ExperimentData.Open(Config);
        Tokenizer = Data.CreateTokenizer();
        var whole = RunFolder.CreateAt(Path.Combine(_dir.FullName, "whole"), Config);
        Train(whole, null, null, CancellationToken.None);
        (Weights, Metrics) = Final(whole.Path);
    }

    public ExperimentData Data { get; }
    public ITextTokenizer Tokenizer { get; }

    /// <summary>The uninterrupted run's final weights file and metrics.jsonl.</summary>
    public byte[] Weights { get; }
    public string Metrics { get; }

    public void Dispose() => _dir.Delete(recursive: true);

    public FinetuneTask NewTask()
    {
        random.manual_seed(Config.Run.Seed);
        return new FinetuneTask(TrainedModels.NewSlt(Config, Tokenizer), Tokenizer, Config.Training, Config.Eval, Config.SignCl, Config.Run.Seed, CPU);
    }

    /// <summary>Trains (or resumes, when its checkpoints hold one) the run; <paramref name="wrap"/> may wrap the task.</summary>
    public TrainingOutcome Train(RunFolder run, FileOperationHook? hook, Func<ITrainingTask, ITrainingTask>? wrap, CancellationToken cancel)
    {
        var checkpoints = RunCheckpoints.Open(run.CheckpointsPath, hook);
        using var task = wrap is null ? NewTask() : wrap(NewTask());
        return new Trainer(Config, Data, Tokenizer, run, checkpoints: checkpoints).Run(task, checkpoints.Last, cancel);
    }

    /// <summary>Resumes a run folder with no hook, to its end.</summary>
    public TrainingOutcome Resume(string folder) => Train(RunFolder.Resume(folder, Config), null, null, CancellationToken.None);

    public static (byte[] Weights, string Metrics) Final(string runFolder) =>
        (File.ReadAllBytes(Path.Combine(runFolder, "checkpoints", "last", CheckpointStore.WeightsFile)),
         File.ReadAllText(Path.Combine(runFolder, "metrics.jsonl")));

    /// <summary>Asserts that a finished run ended exactly as the uninterrupted one and left nothing behind.</summary>
    public void AssertSameAsWhole(string runFolder, string because)
    {
        var (weights, metrics) = Final(runFolder);
        Assert.True(Weights.AsSpan().SequenceEqual(weights), $"final weights differ ({because})");
        Assert.True(Metrics == metrics, $"metrics.jsonl differs ({because}):\n{metrics}\nexpected:\n{Metrics}");
        AssertTidy(runFolder, because);
    }

    /// <summary>Only the two links and the folders they name are left in checkpoints/, and one TensorBoard file.</summary>
    public static void AssertTidy(string runFolder, string because)
    {
        var checkpoints = Path.Combine(runFolder, "checkpoints");
        var expected = new[] { "best", "last", RunCheckpoints.Resolve(Path.Combine(checkpoints, "best")), RunCheckpoints.Resolve(Path.Combine(checkpoints, "last")) }
            .Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal(expected, Directory.EnumerateFileSystemEntries(checkpoints).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.True(Directory.GetFiles(Path.Combine(runFolder, "tensorboard")).Length == 1, $"one TensorBoard event file ({because})");
        Assert.False(File.Exists(Path.Combine(runFolder, "metrics.jsonl.tmp")), because);
    }

    /// <summary>Copies a folder as a crash would leave it: files as they are, symbolic links as links.</summary>
    public static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var entry in new DirectoryInfo(from).EnumerateFileSystemInfos())
        {
            var target = Path.Combine(to, entry.Name);
            if (entry.LinkTarget is { } link) File.CreateSymbolicLink(target, link);
            else if (entry is DirectoryInfo) Copy(entry.FullName, target);
            else File.Copy(entry.FullName, target);
        }
    }
}
