using Serilog;
using SignTranslate.Logging;
using SignTranslate.Training;

namespace SignTranslate.Tests.Training;

[Collection(ProcessStateCollection.Name)]
public sealed class RunFolderTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("slt-run-");

    public void Dispose()
    {
        SltLogging.Close();
        _dir.Delete(recursive: true);
    }

    [Fact]
    public void CreatesUniqueFolderWithConfigLogAndMetrics()
    {
        var config = ExperimentConfig.Defaults(["run.output_dir=" + _dir.FullName, "run.seed=5"]);
        var when = new DateTime(2026, 11, 29, 10, 0, 0);
        var first = RunFolder.Create(config, "finetune", when);
        var second = RunFolder.Create(config, "finetune", when);
        Assert.Equal(Path.Combine(_dir.FullName, "finetune-20261129-100000"), first.Path);
        Assert.Equal(first.Path + "-2", second.Path);

        Assert.Equal(5, ExperimentConfig.Load(Path.Combine(first.Path, "config.yaml")).Run.Seed);

        first.AppendMetrics(new Dictionary<string, object> { ["epoch"] = 1, ["loss"] = 0.5 });
        first.AppendMetrics(new Dictionary<string, object> { ["epoch"] = 2, ["loss"] = 0.25 });
        Assert.Equal(["{\"epoch\":1,\"loss\":0.5}", "{\"epoch\":2,\"loss\":0.25}"], File.ReadAllLines(first.MetricsPath));

        Log.Debug("debug line for the run log {Value}", 42);
        SltLogging.Close();
        Assert.Contains("debug line for the run log 42", File.ReadAllText(second.LogPath));
    }
}
