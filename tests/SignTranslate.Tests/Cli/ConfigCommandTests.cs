using SignTranslate.Cli;

namespace SignTranslate.Tests.Cli;

[Collection(ProcessStateCollection.Name)]
public sealed class ConfigCommandTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("slt-cli-config-");

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir.FullName, name);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public void ShowPrintsResolvedConfigWithOverridesAndDefaults()
    {
        var file = Write("a.yaml", "run:\n  seed: 7\n");
        var result = CliRunner.Run("config", "show", "--config", file, "--set", "run.threads=2", "--set", "run.device=cuda");
        Assert.Equal(ExitCodes.Success, result.ExitCode);
        // Other sections (synthetic, ...) follow the run section with their defaults.
        Assert.StartsWith("run:\n  output_dir: runs\n  seed: 7\n  threads: 2\n  device: cuda\n", result.Stdout.Replace("\r\n", "\n"));
    }

    [Fact]
    public void BadOverrideValueFailsWithKeyAndExpectedType()
    {
        var file = Write("a.yaml", "run:\n  seed: 7\n");
        var result = CliRunner.Run("config", "show", "--config", file, "--set", "run.seed=notanumber");
        Assert.Equal(ExitCodes.InputError, result.ExitCode);
        Assert.Equal("slt: error: --set run.seed=notanumber: 'run.seed' expects an integer, got 'notanumber'", result.Stderr.Trim());
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public void OutOfRangeOverrideFailsWithOneLineNamingTheKey()
    {
        var file = Write("c.yaml", "signcl:\n  enabled: true\n");
        var result = CliRunner.Run("config", "show", "--config", file, "--set", "signcl.temperature=0");
        Assert.Equal(ExitCodes.InputError, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Equal("slt: error: --set signcl.temperature=0: 'signcl.temperature' must be > 0, got 0", line);
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public void UnknownKeyInFileFailsWithFileAndLine()
    {
        var file = Write("b.yaml", "run:\n  seeed: 7\n");
        var result = CliRunner.Run("config", "show", "--config", file);
        Assert.Equal(ExitCodes.InputError, result.ExitCode);
        Assert.Equal($"slt: error: {file}:2:3: unknown key 'run.seeed' (expected one of: output_dir, seed, threads, device)", result.Stderr.Trim());
    }

    [Fact]
    public void MissingConfigFileFails()
    {
        var result = CliRunner.Run("config", "show", "--config", Path.Combine(_dir.FullName, "none.yaml"));
        Assert.Equal(ExitCodes.InputError, result.ExitCode);
        Assert.Contains("configuration file not found", result.Stderr);
    }

    [Fact]
    public void VersionAndHelpWork()
    {
        var version = CliRunner.Run("--version");
        Assert.Equal(ExitCodes.Success, version.ExitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+", version.Stdout.Trim());
        var help = CliRunner.Run("--help");
        Assert.Equal(ExitCodes.Success, help.ExitCode);
        Assert.Contains("config", help.Stdout);
    }

    [Fact]
    public void UsageErrorsExitWithCode2AndPointToHelp()
    {
        var result = CliRunner.Run("config", "show");
        Assert.Equal(ExitCodes.InputError, result.ExitCode);
        Assert.Equal("slt: error: Option '--config' is required.\nRun 'slt config show --help' for usage.",
            result.Stderr.Trim().Replace("\r\n", "\n"));
        Assert.Equal(ExitCodes.InputError, CliRunner.Run("no-such-command").ExitCode);
    }
}
