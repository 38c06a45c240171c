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
}
