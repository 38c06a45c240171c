using System.Security.Cryptography;
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

    /// <summary>Every file under <paramref name="root"/> with a hash of its bytes.</summary>
    private static List<string> Snapshot(string root) =>
        Directory.GetFiles(root, "*", SearchOption.AllDirectories)
            .Select(f => $"{Path.GetRelativePath(root, f)} {Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f)))}")
            .Order(StringComparer.Ordinal).ToList();
}
