using System.Text.Json.Nodes;
using SignTranslate.Checkpoints;
using SignTranslate.Training;

namespace SignTranslate.Tests.Training;

/// <summary>
/// Interruptions and crashes at every kind of instant of a training run: each must leave a folder that resumes by
/// itself to exactly the uninterrupted run's weights and metrics, with nothing left behind.
/// </summary>
[Collection(ProcessStateCollection.Name)]
public sealed class CrashSafetyTests(CrashSafeRun whole) : IClassFixture<CrashSafeRun>, IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("slt-crash-");

    public void Dispose() => _dir.Delete(recursive: true);

    private RunFolder NewRun(string name) => RunFolder.CreateAt(Path.Combine(_dir.FullName, name), CrashSafeRun.Config);

    [Fact]
    public void CancelDuringDevEvaluationWritesACheckpointThatResumesExactly()
    {
        var run = NewRun("eval");
        using var stop = new CancellationTokenSource();
        var outcome = whole.Train(run, null, task => new InterceptingTask(task, beforeEvaluation: _ => stop.Cancel()), stop.Token);

        Assert.True(outcome.Interrupted);
        var meta = CheckpointStore.ReadMetadata(outcome.LastCheckpoint);
        Assert.Equal((0, 3, 3L), (meta.EpochsCompleted, meta.StepsIntoEpoch, meta.GlobalStep));
        Assert.Equal(3, meta.EpochSums["loss"].Count);
        Assert.DoesNotContain(File.ReadAllLines(run.MetricsPath), line => line.Contains("\"kind\":\"epoch\""));

        whole.Resume(run.Path);
        whole.AssertSameAsWhole(run.Path, "resumed after a cancel during dev evaluation");
    }

    [Fact]
    public void ResumeDropsMetricsBeyondTheCheckpointAndEpochMeansCoverTheWholeEpoch()
    {
        var run = NewRun("mid-epoch");
        using var stop = new CancellationTokenSource();
        var outcome = whole.Train(run, null, task => new InterceptingTask(task, afterStep: p => { if (p.GlobalStep == 3) stop.Cancel(); }), stop.Token);
        var meta = CheckpointStore.ReadMetadata(outcome.LastCheckpoint);
        Assert.Equal((1, 1, 4L), (meta.EpochsCompleted, meta.StepsIntoEpoch, meta.GlobalStep));

        // What a kill -9 some steps after that checkpoint leaves: records beyond it, a line cut short, a second event file.
        var later = whole.Metrics.Split('\n').Where(l => l.Contains("\"step\":5") || l.Contains("\"step\":6")).ToList();
        Assert.NotEmpty(later);
        File.AppendAllLines(run.MetricsPath, later.Append("{\"kind\":\"step\",\"epo"));
        File.WriteAllText(Path.Combine(run.TensorBoardPath, "events.out.tfevents.1.host.2.3"), "");

        whole.Resume(run.Path);
        whole.AssertSameAsWhole(run.Path, "resumed mid-epoch after extra records");
    }

    [Fact]
    public void CancelDuringACheckpointWriteFinishesItAndStops()
    {
        var run = NewRun("during-write");
        using var stop = new CancellationTokenSource();
        var outcome = whole.Train(run, operation => { if (operation.StartsWith("write model", StringComparison.Ordinal)) stop.Cancel(); }, null, stop.Token);

        Assert.True(outcome.Interrupted);
        var meta = CheckpointStore.ReadMetadata(outcome.LastCheckpoint);
        Assert.Equal((1, 0), (meta.EpochsCompleted, meta.StepsIntoEpoch));
        CrashSafeRun.AssertTidy(run.Path, "after the write");
        whole.Resume(run.Path);
        whole.AssertSameAsWhole(run.Path, "resumed after a cancel during a checkpoint write");
    }

    [Fact]
    public void ACrashAfterAnyFileOperationOfACheckpointWriteLeavesAFolderThatResumesExactly()
    {
        var run = NewRun("crashing");
        var snapshots = new List<(string Folder, string Operation)>();
        whole.Train(run, operation =>
        {
            var copy = Path.Combine(_dir.FullName, $"crash-{snapshots.Count:D3}");
            CrashSafeRun.Copy(run.Path, copy);
            snapshots.Add((copy, operation));
        }, null, CancellationToken.None);
        // Two epoch ends, each a full and a best checkpoint with their links.
        Assert.InRange(snapshots.Count, 40, 200);

        // The next start recovers every state to one of three: no checkpoint yet, or epoch 1 or 2 with its best. States
        // that recover alike resume alike, so the first and the last of each are trained to the end (training all of
        // them would take ten times as long).
        var recovered = new List<(string Folder, string Because, string? Last)>();
        foreach (var (folder, operation) in snapshots)
        {
            var because = $"crash after '{operation}' ({Path.GetFileName(folder)})";
            var checkpoints = RunCheckpoints.Open(Path.Combine(folder, "checkpoints"));
            var kept = new[] { checkpoints.Last, checkpoints.Best }.OfType<string>().Select(Path.GetFileName)
                .Concat(checkpoints.Last is null ? [] : ["last"]).Concat(checkpoints.Best is null ? [] : ["best"]);
            Assert.Equal(kept.Order(StringComparer.Ordinal), Directory.EnumerateFileSystemEntries(checkpoints.Folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
            if (checkpoints.Last is { } last)
            {
                Assert.True(CheckpointStore.IsComplete(last, resumable: true), because);
                Assert.Equal(RunCheckpoints.Resolve(checkpoints.LastPath), last);
                Assert.Equal(CheckpointStore.ReadMetadata(last).BestCheckpoint, Path.GetFileName(checkpoints.Best));
            }
            recovered.Add((folder, because, Path.GetFileName(checkpoints.Last)));
        }
        Assert.Equal([null, "epoch-001", "epoch-002"], recovered.Select(r => r.Last).Distinct());
        foreach (var group in recovered.GroupBy(r => r.Last))
            foreach (var (folder, because, _) in new[] { group.First(), group.Last() }.Distinct())
            {
                whole.Resume(folder);
                whole.AssertSameAsWhole(folder, because);
            }
    }

    [Theory]
    [InlineData("write model.safetensors", 1)]
    [InlineData("rename .tmp-epoch-002 -> epoch-002", 1)]
    [InlineData("rename .last.tmp-link -> last", 2)]
    [InlineData("fsync checkpoints", 4)]
    public void AFailedFileOperationIsOneInputErrorAndTheFolderResumes(string failing, int occurrence)
    {
        var run = NewRun("failing");
        var seen = 0;
        var error = Assert.Throws<InputException>(() => whole.Train(run, operation =>
        {
            if (operation == failing && ++seen == occurrence) throw new IOException("Input/output error");
        }, null, CancellationToken.None));

        Assert.Contains("writing a checkpoint failed (Input/output error)", error.Message);
        Assert.Contains($"continue with slt finetune --resume {run.Path}", error.Message);
        Assert.DoesNotContain('\n', error.Message);
        whole.Resume(run.Path);
        whole.AssertSameAsWhole(run.Path, $"resumed after '{failing}' failed");
    }

    [Fact]
    public void CheckpointsOfTheOlderLayoutAndItsSwapLeftoversAreAdopted()
    {
        var run = NewRun("older-layout");
        using var stop = new CancellationTokenSource();
        whole.Train(run, operation => { if (operation.StartsWith("write model", StringComparison.Ordinal)) stop.Cancel(); }, null, stop.Token);

        // The older layout, killed between the two renames of its swap: the new last under its temporary name, the old
        // one renamed aside, no last/; best/ a plain folder. Format 1 metadata lists no files.
        var checkpoints = run.CheckpointsPath;
        File.Delete(Path.Combine(checkpoints, "last"));
        File.Delete(Path.Combine(checkpoints, "best"));
        Directory.Move(Path.Combine(checkpoints, "epoch-001"), Path.Combine(checkpoints, ".last.tmp-0123"));
        Directory.Move(Path.Combine(checkpoints, "best-epoch-001"), Path.Combine(checkpoints, "best"));
        CrashSafeRun.Copy(Path.Combine(checkpoints, ".last.tmp-0123"), Path.Combine(checkpoints, "last.old-4567"));
        ToFormat1(Path.Combine(checkpoints, ".last.tmp-0123"), epochsCompleted: 1);
        ToFormat1(Path.Combine(checkpoints, "last.old-4567"), epochsCompleted: 0);
        ToFormat1(Path.Combine(checkpoints, "best"), epochsCompleted: 1);

        whole.Resume(run.Path);
        whole.AssertSameAsWhole(run.Path, "resumed from the older layout");
    }

    private static void ToFormat1(string folder, int epochsCompleted)
    {
        var path = Path.Combine(folder, CheckpointStore.MetadataFile);
        var meta = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        foreach (var key in new[] { "files", "epoch_sums", "selection_metric", "best_checkpoint" }) meta.Remove(key);
        meta["format_version"] = 1;
        meta["epochs_completed"] = epochsCompleted;
        File.WriteAllText(path, meta.ToJsonString());
    }
}
