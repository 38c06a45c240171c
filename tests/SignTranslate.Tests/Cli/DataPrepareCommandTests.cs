using SignTranslate.Cli;
using SignTranslate.Tests.Data;

namespace SignTranslate.Tests.Cli;

[Collection(ProcessStateCollection.Name)]
public sealed class DataPrepareCommandTests : IDisposable
{
    private readonly FrameCacheFixture _data = new();

    public void Dispose() => _data.Dispose();

    private string WriteConfig(string cache = "cache")
    {
        var config = Path.Combine(_data.Folder, "experiment.yaml");
        File.WriteAllText(config, $"data:\n  root: dataset\n  image_root: frames\n  cache:\n    folder: '{cache}'\n  tokenizer:\n    kind: words\n");
        return config;
    }

    [Fact]
    public void PreparesThenSkipsAndDataCheckPasses()
    {
        _data.WritePngDataset(perSplit: 1);
        var config = WriteConfig();
        var first = CliRunner.Run("data", "prepare", "--config", config, "--jobs", "2");
        Assert.Equal("", first.Stderr);
        Assert.Equal(ExitCodes.Success, first.ExitCode);
        Assert.Contains("3 clips, 3 written, 0 unchanged, 0 problems", first.Stdout);

        var second = CliRunner.Run("data", "prepare", "--config", config);
        Assert.Equal(ExitCodes.Success, second.ExitCode);
        Assert.Contains("3 clips, 0 written, 3 unchanged", second.Stdout);

        var check = CliRunner.Run("data", "check", "--config", config);
        Assert.Equal(ExitCodes.Success, check.ExitCode);
        Assert.Contains("frame cache: " + _data.CacheFolder + " checked", check.Stdout);
    }

    [Fact]
    public void UndecodableClipIsListedAndTheRestIsCached()
    {
        _data.WritePngDataset(perSplit: 2);
        var broken = Path.Combine(_data.DatasetRoot, "frames", "test", "video1", "images0003.png");
        File.WriteAllBytes(broken, File.ReadAllBytes(broken)[..40]);
        var config = WriteConfig();

        var result = CliRunner.Run("data", "prepare", "--config", config);
        Assert.Equal(ExitCodes.InputError, result.ExitCode);
        Assert.Contains("6 clips, 5 written", result.Stdout);
        var problem = Assert.Single(result.Stderr.Split('\n'), l => l.StartsWith("slt: problem:"));
        Assert.Contains("sample 'test/video1'", problem);
        Assert.Contains("1 clip not cached", result.Stderr);

        var check = CliRunner.Run("data", "check", "--config", config);
        Assert.Equal(ExitCodes.InputError, check.ExitCode);
        Assert.Contains("sample 'test/video1': not in the frame cache", check.Stderr);
    }

    [Fact]
    public void WithoutACacheFolderItIsAnInputError()
    {
        _data.WritePngDataset(perSplit: 1);
        var result = CliRunner.Run("data", "prepare", "--config", WriteConfig(cache: ""));
        Assert.Contains("data.cache.folder is not set", OneLineErrors.Single(result));
    }

    [Fact]
    public async Task CancellationStopsCleanly()
    {
        _data.WritePngDataset(perSplit: 1);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var result = await CliRunner.RunAsync(cancelled.Token, "data", "prepare", "--config", WriteConfig());
        Assert.Equal(ExitCodes.Interrupted, result.ExitCode);
        // What was written is a valid cache a rerun continues.
        var rerun = CliRunner.Run("data", "prepare", "--config", WriteConfig());
        Assert.Equal(ExitCodes.Success, rerun.ExitCode);
        Assert.Contains("3 clips", rerun.Stdout);
    }

    [Fact]
    public void BenchDataTimesFilesAndCache()
    {
        _data.WritePngDataset(perSplit: 2);
        var config = WriteConfig();
        Assert.Equal(ExitCodes.Success, CliRunner.Run("data", "prepare", "--config", config).ExitCode);
        var result = CliRunner.Run("bench", "data", "--config", config, "--clips", "2");
        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Contains("frame files", result.Stdout);
        Assert.Contains("frame cache", result.Stdout);
        Assert.Contains("1.00x", result.Stdout);
    }
}
