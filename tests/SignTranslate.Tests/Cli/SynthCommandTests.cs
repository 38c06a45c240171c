using SignTranslate.Cli;
using SignTranslate.Tests.Data.Synthetic;

namespace SignTranslate.Tests.Cli;

[Collection(ProcessStateCollection.Name)]
public class SynthCommandTests
{
    [Fact]
    public async Task WritesADatasetWithProgressAndASummary()
    {
        using var folder = new TemporaryFolder();
        var (code, stdout, stderr) = await CliRunner.RunAsync("synth", "--out", folder["data"], "--train", "3", "--dev", "2", "--test", "1", "--seed", "11");
        Assert.Equal(ExitCodes.Success, code);
        Assert.Equal("", stderr);
        Assert.Contains("train: 3/3 videos", stdout);
        Assert.Contains("dev: 2 videos", stdout);
        Assert.Equal(3, SyntheticFilesTests.ReadLabels(folder["data/labels.train"]).Count);
        Assert.Single(SyntheticFilesTests.ReadLabels(folder["data/labels.test"]));
        Assert.Contains("\"seed\": 11", File.ReadAllText(folder["data/synthetic.json"]));
        Assert.Equal(["synthetic-00000.safetensors", "synthetic-00001.safetensors", "synthetic-00002.safetensors"],
            Directory.GetFiles(folder["data/keypoints/train"]).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ReadsTheSyntheticSectionOfAConfigWithOverrides()
    {
        using var folder = new TemporaryFolder();
        File.WriteAllText(folder["synth.yaml"], "synthetic:\n  train_samples: 2\n  dev_samples: 1\n  test_samples: 1\n  frame_width: 16\n  frame_height: 12\n  seed: 3\n");
        var (code, _, stderr) = await CliRunner.RunAsync("synth", "--out", folder["data"], "--config", folder["synth.yaml"], "--set", "synthetic.dev_samples=2");
        Assert.True(code == ExitCodes.Success, stderr);
        Assert.Equal(2, SyntheticFilesTests.ReadLabels(folder["data/labels.train"]).Count);
        Assert.Equal(2, SyntheticFilesTests.ReadLabels(folder["data/labels.dev"]).Count);
        var description = File.ReadAllText(folder["data/synthetic.json"]);
        Assert.Contains("\"frame_width\": 16", description);
        Assert.Contains("\"seed\": 3", description);
        var png = File.ReadAllBytes(folder["data/frames/train/synthetic-00000/images0001.png"]);
        Assert.Equal(16, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
        Assert.Equal(12, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));

        File.WriteAllText(folder["bad.yaml"], "synthetic:\n  frame_width: 4\n");
        (code, _, stderr) = await CliRunner.RunAsync("synth", "--out", folder["other"], "--config", folder["bad.yaml"]);
        Assert.Equal(ExitCodes.InputError, code);
        Assert.Contains("synthetic.frame_width", stderr);
        Assert.False(Directory.Exists(folder["other"]));
    }

    [Fact]
    public async Task UserErrorsGiveOneLineOnStderrAndExitCodeTwo()
    {
        using var folder = new TemporaryFolder();
        var (code, _, stderr) = await CliRunner.RunAsync("synth", "--out", folder["a"], "--train", "-1");
        Assert.Equal(ExitCodes.InputError, code);
        Assert.Contains("train_samples", stderr);
        Assert.Single(stderr.Trim().Split('\n'));

        File.WriteAllText(folder["b.txt"], "x");
        (code, _, stderr) = await CliRunner.RunAsync("synth", "--out", folder.Path, "--train", "1", "--dev", "0", "--test", "0");
        Assert.Equal(ExitCodes.InputError, code);
        Assert.Contains("not empty", stderr);
        Assert.DoesNotContain("   at ", stderr);

        (code, _, stderr) = await CliRunner.RunAsync("synth", "--out", folder["c"], "--annotations", folder["missing/labels.train"]);
        Assert.Equal(ExitCodes.InputError, code);
        Assert.Contains("missing", stderr);
    }

    [Fact]
    public async Task AnnotationsDriveTheLanguageSide()
    {
        using var folder = new TemporaryFolder();
        var labels = TestFixtures.DataFile("phoenix2014t", "labels.dev");
        var (code, stdout, stderr) = await CliRunner.RunAsync("synth", "--out", folder["phoenix"], "--annotations", labels, "--limit", "2");
        Assert.True(code == ExitCodes.Success, stderr);
        // labels.dev has sibling train and test files: each split contributes its first two samples.
        var dev = SyntheticFilesTests.ReadLabels(folder["phoenix/labels.dev"]);
        Assert.Equal(2, dev.Count);
        Assert.Equal(2, SyntheticFilesTests.ReadLabels(folder["phoenix/labels.train"]).Count);
        var entry = (System.Collections.IDictionary)SyntheticFilesTests.ReadLabels(folder["phoenix/labels.test"])["test/01April_2010_Thursday_heute-6704"]!;
        Assert.Equal(28, entry["length"]);
        Assert.Equal("test/01April_2010_Thursday_heute-6704/images0028.png", ((System.Collections.ArrayList)entry["imgs_path"]!)[27]);
        Assert.True(File.Exists(folder["phoenix/frames/test/01April_2010_Thursday_heute-6704/images0028.png"]));
        Assert.Contains("driven by", stdout);
    }

    [Fact]
    public async Task QuietKeepsTheSummaryAndDropsTheProgress()
    {
        using var folder = new TemporaryFolder();
        var (code, stdout, stderr) = await CliRunner.RunAsync("synth", "--out", folder["data"], "--train", "3", "--dev", "2", "--test", "1", "--quiet");
        Assert.True(code == ExitCodes.Success, stderr);
        Assert.DoesNotContain("3/3 videos", stdout);
        Assert.Contains("train: 3 videos", stdout);
    }
}
