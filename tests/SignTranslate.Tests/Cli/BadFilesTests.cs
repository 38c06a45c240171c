using SignTranslate.Tests.Training;
using SignTranslate.Text;

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
        var random = new byte[5000];
        new Random(1).NextBytes(random);
        File.WriteAllBytes(weights, damage switch { "empty" => [], "truncated" => bytes[..(bytes.Length / 2)], _ => random });

        var line = OneLineErrors.Single(await CliRunner.RunAsync("eval", "--checkpoint", checkpoint, "-q"));

        Assert.StartsWith($"{weights}: not a valid safetensors file: ", line);
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
}
