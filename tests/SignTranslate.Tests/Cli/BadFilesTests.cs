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

    [Fact]
    public async Task UnclosedFlowListInYamlIsOneLineWithItsPosition()
    {
        var config = Path.Combine(_folder, "bad.yaml");
        File.WriteAllText(config, "x: [a\ny: b\n");

        var line = OneLineErrors.Single(await CliRunner.RunAsync("config", "show", "--config", config));

        Assert.Equal($"{config}:1:4: invalid YAML: cannot parse what follows; is a flow list '[' or mapping '{{' left unclosed before this point?", line);
    }
}
