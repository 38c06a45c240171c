using SignTranslate.Checkpoints;
using SignTranslate.Tests.Training;
using SignTranslate.Text;
using TorchSharp;

namespace SignTranslate.Tests.Cli;

/// <summary>
/// Files a hostile or unlucky user hands to slt: each is exit code 2 and one stderr line naming the file, never a
/// stack trace.
/// </summary>
[Collection(ProcessStateCollection.Name)]
public sealed class BadFilesTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("slt-bad-files-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData("empty")]
    [InlineData("truncated")]
    [InlineData("random bytes")]
    public async Task DamagedWeightsFileIsOneLineNamingIt(string damage)
    {
        var checkpoint = UntrainedCheckpoint.Write(_folder);
        var weights = Path.Combine(checkpoint, "model.safetensors");
        var bytes = File.ReadAllBytes(weights);
        var damaged = Damage(bytes, damage);
        File.WriteAllBytes(weights, damaged);

        var line = OneLineErrors.Single(await CliRunner.RunAsync("eval", "--checkpoint", checkpoint, "-q"));

        // The checkpoint's own file record (sizes and hashes in meta.json) catches the damage before the reader does.
        Assert.StartsWith($"{weights}: truncated ({damaged.Length} bytes instead of {bytes.Length}); ", line);
    }

    [Theory]
    [InlineData("empty")]
    [InlineData("truncated")]
    [InlineData("random bytes")]
    public void DamagedSafetensorsFileIsAnInputErrorNamingIt(string damage)
    {
        // A weights file without a checkpoint record around it (an import source, an export): the reader itself checks.
        var weights = Path.Combine(_folder, "weights.safetensors");
        SafeTensorsFile.Save(weights, [new("w", torch.ones(64, 64))]);
        File.WriteAllBytes(weights, Damage(File.ReadAllBytes(weights), damage));

        var error = Assert.Throws<InputException>(() => SafeTensorsFile.Load(weights));

        Assert.StartsWith($"{weights}: not a valid safetensors file: ", error.Message);
    }

    [Fact]
    public async Task UnclosedFlowListInYamlIsOneLineWithItsPosition()
    {
        var config = Path.Combine(_folder, "bad.yaml");
        File.WriteAllText(config, "x: [a\ny: b\n");

        var line = OneLineErrors.Single(await CliRunner.RunAsync("config", "show", "--config", config));

        Assert.Equal($"{config}:1:4: invalid YAML: cannot parse what follows; is a flow list '[' or mapping '{{' left unclosed before this point?", line);
    }

    [Fact]
    public async Task FullDiskIsOneLineNamingTheFile()
    {
        if (!OperatingSystem.IsLinux()) return; // /dev/full answers every write with ENOSPC
        var checkpoint = UntrainedCheckpoint.Write(_folder);
        var output = Path.Combine(_folder, "eval");
        Directory.CreateDirectory(output);
        var hypotheses = Path.Combine(output, "hypotheses.txt");
        File.CreateSymbolicLink(hypotheses, "/dev/full");

        var line = OneLineErrors.Single(await CliRunner.RunAsync("eval", "--checkpoint", checkpoint, "--out", output, "-q"));

        Assert.Equal($"{hypotheses}: the disk is full; free some space or write to another disk", line);
    }

    public static TheoryData<string> CommandsWithOut => ["eval", "density", "export"];

    [Theory]
    [MemberData(nameof(CommandsWithOut))]
    public async Task UnwritableOutFolderFailsBeforeAnyWork(string command)
    {
        if (!OperatingSystem.IsLinux()) return; // sysfs takes no new files, not even from root
        // The checkpoint's weights are damaged: an output folder checked only after the work would report them first.
        var checkpoint = UntrainedCheckpoint.Write(_folder);
        File.WriteAllBytes(Path.Combine(checkpoint, "model.safetensors"), []);
        string[] args = command == "export"
            ? ["export", "--checkpoint", checkpoint, "--format", "safetensors", "--out", "/sys/weights.safetensors", "-q"]
            : [command, "--checkpoint", checkpoint, "--out", "/sys", "-q"];

        var line = OneLineErrors.Single(await CliRunner.RunAsync(args));

        Assert.StartsWith("/sys: cannot write into this folder (--out), checked before starting: permission denied", line);
    }

    [Fact]
    public async Task TranslateRejectsATruncatedFrame()
    {
        var checkpoint = UntrainedCheckpoint.Write(_folder);
        var video = Path.Combine(_folder, "video");
        Directory.CreateDirectory(video);
        var bytes = Data.FrameDecoderTests.Encode(TorchSharp.torchvision.ImageFormat.Png, height: 16, width: 16);
        File.WriteAllBytes(Path.Combine(video, "images0001.png"), bytes);
        var truncated = Path.Combine(video, "images0002.png");
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);

        var result = await CliRunner.RunAsync("translate", "--checkpoint", checkpoint, video, "-q");

        Assert.Equal("", result.Stdout);
        Assert.Equal($"sample '{video}': frame {truncated}: truncated: the image data ends before the last row", OneLineErrors.Single(result));
    }

    [Fact]
    public async Task ALineOverTheLimitIsOneLineInsteadOfOutOfMemory()
    {
        var hypotheses = Path.Combine(_folder, "hyp.txt");
        var references = Path.Combine(_folder, "ref.txt");
        File.WriteAllBytes(hypotheses, [.. Enumerable.Repeat((byte)'a', Utf8LineFile.MaxLineBytes + 1)]);
        File.WriteAllText(references, "a\n");

        var line = OneLineErrors.Single(await CliRunner.RunAsync("score", "--hyp", hypotheses, "--ref", references));

        Assert.Equal($"{hypotheses}: line 1 is longer than {Utf8LineFile.MaxLineBytes} bytes, the most slt reads as one line; expected a text file with one segment per line", line);
    }

    [Fact]
    public async Task AFolderGivenAsAFileIsCalledAFolder()
    {
        var references = Path.Combine(_folder, "ref.txt");
        File.WriteAllText(references, "a\n");

        var line = OneLineErrors.Single(await CliRunner.RunAsync("score", "--hyp", _folder, "--ref", references));

        Assert.Equal($"{_folder}: is a folder, expected a file", line);
    }

    [Fact]
    public async Task FileSystemErrorsNoCommandAnticipatedAreStillOneLine()
    {
        if (!OperatingSystem.IsLinux()) return;
        var config = TinyExperiment.Write(_folder);

        // The run folder is created by code that does not translate file errors itself: the CLI's last resort does.
        var line = OneLineErrors.Single(await CliRunner.RunAsync("finetune", "--config", config, "--run-dir", "/sys/slt-run", "-q"));

        Assert.StartsWith("permission denied: ", line);
        Assert.Contains("/sys/slt-run", line);
    }

    private static byte[] Damage(byte[] bytes, string damage)
    {
        var random = new byte[5000];
        new Random(1).NextBytes(random);
        return damage switch { "empty" => [], "truncated" => bytes[..(bytes.Length / 2)], _ => random };
    }
}
