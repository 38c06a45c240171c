using System.Security.Cryptography;
using SignTranslate.Cli;
using SignTranslate.Data.Synthetic;
using SignTranslate.Tests.Cli;

namespace SignTranslate.Tests.Data.Synthetic;

/// <summary>
/// `slt synth` given names that point elsewhere, and --force given a folder that also holds the user's files:
/// nothing is written outside --out, and nothing synth did not write is deleted or overwritten.
/// </summary>
[Collection(ProcessStateCollection.Name)]
public sealed class SynthUntrustedInputTests
{
    [Theory]
    [InlineData("../../../victim", "contains a '..' segment")]
    [InlineData("ok/../../victim", "contains a '..' segment")]
    [InlineData("{root}/victim", "is an absolute path")]
    [InlineData("..\\victim", "contains '\\'")]
    public async Task SampleNamesThatLeaveTheOutFolderAreRejectedAndNothingIsWritten(string name, string problem)
    {
        using var folder = new TemporaryFolder();
        name = name.Replace("{root}", folder.Path);
        // A file the old code overwrote: the absolute name's first frame, and where the '..' names land.
        foreach (var victim in new[] { "victim/images0001.png", "a/victim/images0001.png", "a/b/victim/images0001.png" })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(folder[victim])!);
            File.WriteAllText(folder[victim], "precious");
        }
        var labels = folder["labels.train"];
        // Harmless frame paths: the name itself is what synth turns into a folder.
        TestLabelsFiles.Write(labels, TestLabelsFiles.Sample("fine", "a b", 6, gloss: "A B"),
            TestLabelsFiles.Sample(name, "a b", 6, gloss: "A B", framePattern: "video/images{1:D4}.png"));
        var before = Snapshot(folder.Path);

        var result = await CliRunner.RunAsync("synth", "--out", folder["a/b/out"], "--annotations", labels, "-q");

        var line = OneLineErrors.Single(result);
        Assert.StartsWith($"{labels}: sample '{name}': the name {problem}", line);
        Assert.EndsWith("so rename the sample", line);
        Assert.Equal(before, Snapshot(folder.Path));
    }

    [Fact]
    public void ForceReplacesOnlyWhatAnEarlierSynthWrote()
    {
        using var folder = new TemporaryFolder();
        var data = folder["data"];
        var options = SyntheticDatasetTests.Tiny with { TrainSamples = 2, DevSamples = 1, TestSamples = 1 };
        SyntheticDatasetWriter.Write(SyntheticDataset.Create(options), data);
        var gone = Path.Combine(data, "frames", "train", "synthetic-00001");
        Assert.True(Directory.Exists(gone));
        var mine = new[] { "notes.txt", "frames/mine.txt", "frames/train/synthetic-00000/comment.txt", "analysis/plot.png" };
        foreach (var file in mine)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(data, file))!);
            File.WriteAllText(Path.Combine(data, file), file);
        }

        SyntheticDatasetWriter.Write(SyntheticDataset.Create(options with { TrainSamples = 1, Seed = 5 }), data, replace: true);

        Assert.All(mine, file => Assert.Equal(file, File.ReadAllText(Path.Combine(data, file))));
        Assert.Single(SyntheticFilesTests.ReadLabels(Path.Combine(data, "labels.train")));
        Assert.False(Directory.Exists(gone), "the earlier run's second training video should be gone");
        var listed = File.ReadAllLines(Path.Combine(data, SynthesisFileList.FileName));
        Assert.Contains("frames/train/synthetic-00000/images0001.png", listed);
        Assert.DoesNotContain(listed, l => l.Contains("synthetic-00001/") && l.StartsWith("frames/train/", StringComparison.Ordinal));
        Assert.All(mine, file => Assert.DoesNotContain(file, listed));
        Assert.All(listed, file => Assert.True(File.Exists(Path.Combine(data, file)), file));
        Assert.DoesNotContain(Directory.GetFileSystemEntries(data), e => Path.GetFileName(e).StartsWith(".slt-synth-partial", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ForceRefusesToOverwriteAFileItDidNotWrite()
    {
        using var folder = new TemporaryFolder();
        var data = folder["data"];
        Assert.Equal(ExitCodes.Success, (await CliRunner.RunAsync("synth", "--out", data, "--train", "1", "--dev", "1", "--test", "1", "-q")).ExitCode);
        // The user's own file where a second training video would go.
        var theirs = Path.Combine(data, "frames", "train", "synthetic-00001", "images0001.png");
        Directory.CreateDirectory(Path.GetDirectoryName(theirs)!);
        File.WriteAllText(theirs, "mine");
        var before = Snapshot(folder.Path);

        var line = OneLineErrors.Single(await CliRunner.RunAsync("synth", "--out", data, "--train", "2", "--dev", "1", "--test", "1", "--force", "-q"));

        Assert.StartsWith($"{theirs}: is in the way of the new dataset and was not written by slt synth", line);
        Assert.Equal(before, Snapshot(folder.Path));
    }

    [Fact]
    public async Task ForceIgnoresAFileListThatPointsOutsideTheFolder()
    {
        using var folder = new TemporaryFolder();
        var data = folder["data"];
        Assert.Equal(ExitCodes.Success, (await CliRunner.RunAsync("synth", "--out", data, "--train", "1", "--dev", "1", "--test", "1", "-q")).ExitCode);
        File.WriteAllText(folder["precious.txt"], "keep");
        File.AppendAllText(Path.Combine(data, SynthesisFileList.FileName), "../precious.txt\n");
        var before = Snapshot(folder.Path);

        var line = OneLineErrors.Single(await CliRunner.RunAsync("synth", "--out", data, "--train", "1", "--dev", "1", "--test", "1", "--force", "-q"));

        Assert.Contains("'../precious.txt' contains a '..' segment", line);
        Assert.Equal(before, Snapshot(folder.Path));
    }

    [Fact]
    public void ADatasetWithoutAFileListIsNotReplaced()
    {
        using var folder = new TemporaryFolder();
        var data = folder["data"];
        var options = SyntheticDatasetTests.Tiny with { TrainSamples = 1, DevSamples = 1, TestSamples = 1 };
        SyntheticDatasetWriter.Write(SyntheticDataset.Create(options), data);
        File.Delete(Path.Combine(data, SynthesisFileList.FileName)); // as an older slt left it
        var error = Assert.Throws<InputException>(() => SyntheticDatasetWriter.Write(SyntheticDataset.Create(options), data, replace: true));
        Assert.Contains("written by an older slt", error.Message);
        Assert.True(File.Exists(Path.Combine(data, "labels.train")));
    }

    /// <summary>Every file under <paramref name="root"/> with a hash of its bytes.</summary>
    private static List<string> Snapshot(string root) =>
        Directory.GetFiles(root, "*", SearchOption.AllDirectories)
            .Select(f => $"{Path.GetRelativePath(root, f)} {Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f)))}")
            .Order(StringComparer.Ordinal).ToList();
}
