using System.Text.Json;
using SignTranslate.Cli;

namespace SignTranslate.Tests.Cli;

[Collection(ProcessStateCollection.Name)]
public class BenchSignClCommandTests
{
    [Fact]
    public async Task JsonReportsOneRowPerFrameCountWithAgreeingImplementations()
    {
        var (code, stdout, stderr) = await CliRunner.RunAsync("bench", "signcl", "--json", "--frames", "12", "20", "--batch", "2", "--dim", "8",
            "--warmup", "0", "--repeats", "3", "--margin", "3");

        Assert.True(code == ExitCodes.Success, stderr);
        using var document = JsonDocument.Parse(stdout);
        var rows = document.RootElement.EnumerateArray().ToArray();
        Assert.Equal([12, 20], rows.Select(r => r.GetProperty("frames").GetInt32()));
        foreach (var row in rows)
        {
            Assert.Equal(["frames", "vectorised_ms", "loop_ms", "ratio", "max_abs_diff"], row.EnumerateObject().Select(p => p.Name));
            var vectorised = row.GetProperty("vectorised_ms").GetDouble();
            var loop = row.GetProperty("loop_ms").GetDouble();
            Assert.True(vectorised > 0 && loop > 0, row.ToString());
            Assert.Equal(loop / vectorised, row.GetProperty("ratio").GetDouble(), 9);
            Assert.InRange(row.GetProperty("max_abs_diff").GetDouble(), 0, 1e-5);
        }
    }

    [Fact]
    public async Task TableNamesTheSettingsAndEveryFrameCount()
    {
        var (code, stdout, _) = await CliRunner.RunAsync("bench", "signcl", "--frames", "9", "--batch", "1", "--dim", "4", "--warmup", "0", "--repeats", "1");

        Assert.Equal(ExitCodes.Success, code);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("B=1, D=4", lines[0]);
        Assert.StartsWith("frames", lines[1].Trim());
        Assert.StartsWith("9 ", lines[2].Trim());
        Assert.Equal(3, lines.Length);
    }

    [Theory]
    [InlineData("--frames", "4", "--frames 4")]
    [InlineData("--repeats", "0", "--repeats 0")]
    [InlineData("--batch", "-1", "--batch -1")]
    public async Task BadValuesExitWithCodeTwoAndOneLine(string option, string value, string mention)
    {
        var (code, stdout, stderr) = await CliRunner.RunAsync("bench", "signcl", option, value);

        Assert.Equal(ExitCodes.InputError, code);
        Assert.Equal("", stdout);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(mention, line);
        Assert.Contains("expected", line);
    }
}
