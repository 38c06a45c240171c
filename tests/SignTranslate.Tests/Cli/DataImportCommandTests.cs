using SignTranslate.Cli;
using SignTranslate.Tests.Data;
using SignTranslate.Tests.Training;

namespace SignTranslate.Tests.Cli;

[Collection(ProcessStateCollection.Name)]
public sealed class DataImportCommandTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("slt-cli-import-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string[] How2SignArgs(params string[] extra) =>
    [
        "data", "import", "how2sign",
        "--train-csv", Path.Combine(_root, "how2sign_realigned_train.csv"), "--train-videos", Path.Combine(_root, "train_rgb_front_clips", "raw_videos"),
        "--dev-csv", Path.Combine(_root, "how2sign_realigned_val.csv"), "--dev-videos", Path.Combine(_root, "val_rgb_front_clips", "raw_videos"),
        "--test-csv", Path.Combine(_root, "how2sign_realigned_test.csv"), "--test-videos", Path.Combine(_root, "test_rgb_front_clips", "raw_videos"),
        .. extra,
    ];

    /// <summary>The acceptance path: How2Sign's format → slt data import → slt data check → one training epoch.</summary>
    [Fact]
    public void How2SignSampleImportsChecksAndTrainsOneEpoch()
    {
        ImportFixtures.WriteHow2Sign(_root);
        var import = CliRunner.Run(How2SignArgs("--out", _root));
        Assert.True(import.ExitCode == ExitCodes.Success, import.Stderr);
        Assert.Contains($"train       1 samples -> {Path.Combine(_root, "manifest.train.tsv")}", import.Stdout);
        var yaml = File.ReadAllText(Path.Combine(_root, "dataset.yaml"));
        Assert.Contains(yaml, import.Stdout);

        // The printed data section pasted into a config in place of the tiny experiment's synthetic data.
        var config = Path.Combine(_root, "experiment", "how2sign.yaml");
        Directory.CreateDirectory(Path.GetDirectoryName(config)!);
        Assert.Contains("data:\n  kind: synthetic\n", TinyExperiment.Yaml.ReplaceLineEndings("\n"));
        File.WriteAllText(config, TinyExperiment.Yaml.ReplaceLineEndings("\n").Replace("data:\n  kind: synthetic\n", yaml));

        var check = CliRunner.Run("data", "check", "--config", config);
        Assert.True(check.ExitCode == ExitCodes.Success, check.Stdout + check.Stderr);
        Assert.Contains("no problems found", check.Stdout);

        var train = CliRunner.Run("finetune", "--config", config, "--run-dir", Path.Combine(_root, "run"), "--set", "training.epochs=1", "-q");
        Assert.True(train.ExitCode == ExitCodes.Success, train.Stderr);
        Assert.True(File.Exists(Path.Combine(_root, "run", "checkpoints", "last", "model.safetensors")));
    }

    [Fact]
    public void ProblemsAreOneLineErrorsWithExitCode2()
    {
        ImportFixtures.WriteHow2Sign(_root, csv => csv.Replace("abc123-1-rgb_front", "../x"));
        var result = CliRunner.Run(How2SignArgs("--out", _root));
        Assert.Equal(ExitCodes.InputError, result.ExitCode);
        Assert.StartsWith("slt: error: ", result.Stderr);
        Assert.Contains("how2sign_realigned_train.csv:2: field 'SENTENCE_NAME': '../x'", result.Stderr);
        Assert.Single(result.Stderr.Trim().Split('\n'));
        Assert.False(File.Exists(Path.Combine(_root, "manifest.train.tsv")));
    }

    [Fact]
    public void SkippedVideosAreAWarningAndTheRestIsWritten()
    {
        ImportFixtures.WriteHow2Sign(_root);
        File.Delete(Path.Combine(_root, "val_rgb_front_clips", "raw_videos", "def456-2-rgb_front.mp4"));
        var result = CliRunner.Run(How2SignArgs("--out", _root, "--skip-missing"));
        Assert.True(result.ExitCode == ExitCodes.Success, result.Stderr);
        Assert.StartsWith("slt: warning: 1 video missing, rows skipped (first: ", result.Stderr);
        Assert.Contains("dev         0 samples", result.Stdout);
        Assert.Single(File.ReadAllLines(Path.Combine(_root, "manifest.dev.tsv"))); // the header only
    }

    /// <summary>Frame-folder manifests pass data check too (their frame paths are full paths, checked by the reader).</summary>
    [Fact]
    public void SynthesisedLabelsImportAndPassDataCheck()
    {
        var data = Path.Combine(_root, "synthetic");
        Assert.Equal(ExitCodes.Success, CliRunner.Run("synth", "--out", data, "--train", "3", "--dev", "2", "--test", "2", "--seed", "5", "-q").ExitCode);
        var import = CliRunner.Run("data", "import", "labels", "--labels", data, "--frames", Path.Combine(data, "frames"), "--out", data);
        Assert.True(import.ExitCode == ExitCodes.Success, import.Stderr);
        Assert.Contains("fps: 0   # frame folders", import.Stdout);

        var config = Path.Combine(_root, "synthetic.yaml");
        File.WriteAllText(config, File.ReadAllText(Path.Combine(data, "dataset.yaml")) + "  tokenizer:\n    kind: characters\n" /* so 3 training texts cover dev and test */);
        var check = CliRunner.Run("data", "check", "--config", config);
        Assert.True(check.ExitCode == ExitCodes.Success, check.Stdout + check.Stderr);
        Assert.Contains("frames: every frame checked", check.Stdout);
    }
}
