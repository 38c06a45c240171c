using System.Text;
using System.Text.Json;
using SignTranslate.Cli;
using SignTranslate.Tests.Metrics;
using SignTranslate.Text;

namespace SignTranslate.Tests.Cli;

/// <summary><c>slt compare</c> run in-process on SignCL's CSL-Daily test outputs and on small files.</summary>
[Collection(ProcessStateCollection.Name)]
public sealed class CompareCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("slt-compare-").FullName;

    private static string Hypotheses => TestFixtures.DataFile("signcl-csl-daily", "hypotheses.txt");
    private static string References => TestFixtures.DataFile("signcl-csl-daily", "references.txt");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task EveryFifthHypothesisEmptiedIsASignificantDrop()
    {
        var damaged = WriteLines("damaged.txt", PairedBootstrapTests.EveryFifthEmptied(Utf8LineFile.Read(Hypotheses)));

        var (exitCode, stdout, stderr) = await CliRunner.RunAsync(
            "compare", "--ref", References, "--hyp", Hypotheses, "--hyp", damaged, "--samples", "1000", "--json");

        Assert.Equal(ExitCodes.Success, exitCode);
        Assert.Equal("", stderr);
        using var json = JsonDocument.Parse(stdout);
        var systems = json.RootElement.GetProperty("systems").EnumerateArray().ToArray();
        Assert.Equal([Hypotheses, damaged], systems.Select(s => s.GetProperty("file").GetString()));
        Assert.Equal(15.992706086430529, systems[0].GetProperty("bleu4").GetDouble(), 1e-9);
        Assert.Equal(45.4866934858513, systems[0].GetProperty("rouge_l").GetDouble(), 1e-9);
        foreach (var system in systems)
            Assert.InRange(system.GetProperty("bleu4").GetDouble(),
                system.GetProperty("bleu4_ci_low").GetDouble(), system.GetProperty("bleu4_ci_high").GetDouble());
        Assert.True(systems[1].GetProperty("bleu4").GetDouble() < systems[0].GetProperty("bleu4").GetDouble() - 2);

        var pair = Assert.Single(json.RootElement.GetProperty("pairs").EnumerateArray());
        Assert.Equal(Hypotheses, pair.GetProperty("a").GetString());
        Assert.Equal(damaged, pair.GetProperty("b").GetString());
        Assert.True(pair.GetProperty("p_value").GetDouble() < 0.05, $"p = {pair.GetProperty("p_value").GetDouble()}");
        Assert.Equal(1000, json.RootElement.GetProperty("samples").GetInt32());
        Assert.Equal(12345, json.RootElement.GetProperty("seed").GetInt64());
    }

    [Fact]
    public async Task ASystemComparedWithItselfHasPOne()
    {
        var (exitCode, stdout, _) = await CliRunner.RunAsync(
            "compare", "--ref", References, "--hyp", Hypotheses, "--hyp", Hypotheses, "--samples", "100", "--json");

        Assert.Equal(ExitCodes.Success, exitCode);
        using var json = JsonDocument.Parse(stdout);
        var pair = Assert.Single(json.RootElement.GetProperty("pairs").EnumerateArray());
        Assert.Equal(1.0, pair.GetProperty("p_value").GetDouble());
    }

    [Fact]
    public async Task OutputIsTheSameForTheSameSeedAndDiffersForAnother()
    {
        var hyp = WriteLines("hyp.txt", Utf8LineFile.Read(Hypotheses).Take(200));
        var @ref = WriteLines("ref.txt", Utf8LineFile.Read(References).Take(200));
        string[] args = ["compare", "--ref", @ref, "--hyp", hyp, "--samples", "50", "--json"];

        var first = await CliRunner.RunAsync([.. args, "--seed", "9"]);
        var again = await CliRunner.RunAsync([.. args, "--seed", "9"]);
        var other = await CliRunner.RunAsync([.. args, "--seed", "10"]);

        Assert.Equal(ExitCodes.Success, first.ExitCode);
        Assert.Equal(first.Stdout, again.Stdout);
        Assert.NotEqual(first.Stdout, other.Stdout);
    }

    [Fact]
    public async Task CharSplitAndTokenizerReachTheScores()
    {
        var hyp = WriteLines("hyp.txt", ["今天天气很好", "我们去学校"]);
        var @ref = WriteLines("ref.txt", ["今天天气很好", "我们去上学"]);

        var unsplit = await CliRunner.RunAsync("compare", "--ref", @ref, "--hyp", hyp, "--samples", "20", "--json");
        var split = await CliRunner.RunAsync("compare", "--ref", @ref, "--hyp", hyp, "--samples", "20", "--json", "--char-split");
        var zh = await CliRunner.RunAsync("compare", "--ref", @ref, "--hyp", hyp, "--samples", "20", "--json", "--tokenize", "zh");

        using var unsplitJson = JsonDocument.Parse(unsplit.Stdout);
        using var splitJson = JsonDocument.Parse(split.Stdout);
        using var zhJson = JsonDocument.Parse(zh.Stdout);
        // Unsplit, each line is one token: ROUGE-L scores the identical first line 1 and the second 0; 13a BLEU has
        // no bigrams at all and is 0, while zh makes every character a token.
        Assert.Equal(50.0, Rouge(unsplitJson), 1e-9);
        Assert.True(Rouge(splitJson) > 80, $"char-split ROUGE-L {Rouge(splitJson)}");
        Assert.Equal("char_split", splitJson.RootElement.GetProperty("preprocess").GetString());
        Assert.Contains("tok:zh", zhJson.RootElement.GetProperty("signature").GetString());
        Assert.True(Bleu(zhJson) > Bleu(unsplitJson));

        static double Rouge(JsonDocument json) => json.RootElement.GetProperty("systems")[0].GetProperty("rouge_l").GetDouble();
        static double Bleu(JsonDocument json) => json.RootElement.GetProperty("systems")[0].GetProperty("bleu4").GetDouble();
    }

    [Fact]
    public async Task TableListsSystemsPairsAndSignature()
    {
        var damaged = WriteLines("damaged.txt", PairedBootstrapTests.EveryFifthEmptied(Utf8LineFile.Read(Hypotheses)));

        var (exitCode, stdout, stderr) = await CliRunner.RunAsync("compare", "--ref", References, "--hyp", Hypotheses, "--hyp", damaged, "--samples", "100");

        Assert.Equal(ExitCodes.Success, exitCode);
        Assert.Equal("", stderr);
        var lines = stdout.Split('\n');
        Assert.StartsWith("system", lines[0]);
        Assert.StartsWith(Hypotheses, lines[1]);
        Assert.Contains(" 15.99 ", lines[1]);
        Assert.StartsWith(damaged, lines[2]);
        Assert.Contains(lines, line => line.StartsWith($"{damaged} - {Hypotheses}:", StringComparison.Ordinal) && line.Contains("(p = 0.0099*)"));
        Assert.Contains("paired bootstrap  100 resamples of 1176 lines, seed 12345", lines);
        Assert.Contains("signature         nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.2.0", lines);
    }

    [Theory]
    [InlineData("missing-ref")]
    [InlineData("missing-hyp")]
    [InlineData("line-count")]
    [InlineData("no-such-file")]
    [InlineData("bad-tokenizer")]
    [InlineData("zero-samples")]
    [InlineData("empty-files")]
    [InlineData("invalid-utf8")]
    public async Task UserErrorsPrintOneLineAndExitTwo(string problem)
    {
        var hyp = WriteLines("hyp.txt", ["a b c", "d e f"]);
        var @ref = WriteLines("ref.txt", ["a b c", "d e f"]);
        var shortFile = WriteLines("short.txt", ["a b c"]);
        var empty = WriteLines("empty.txt", []);
        var invalid = Path.Combine(_folder, "invalid.txt");
        File.WriteAllBytes(invalid, [(byte)'a', (byte)'\n', 0xFF, 0xFE, (byte)'\n']);
        var missing = Path.Combine(_folder, "missing.txt");
        var (args, expected) = problem switch
        {
            "missing-ref" => (new[] { "compare", "--hyp", hyp }, "--ref FILE is required"),
            "missing-hyp" => (["compare", "--ref", @ref], "--hyp FILE is required"),
            "line-count" => (["compare", "--ref", @ref, "--hyp", hyp, "--hyp", shortFile], $"{shortFile} has 1 lines but {@ref} has 2"),
            "no-such-file" => (["compare", "--ref", @ref, "--hyp", missing], $"{missing}: file not found"),
            "bad-tokenizer" => (["compare", "--ref", @ref, "--hyp", hyp, "--tokenize", "moses"], "--tokenize must be one of 13a, zh, char, none, not 'moses'"),
            "zero-samples" => (["compare", "--ref", @ref, "--hyp", hyp, "--samples", "0"], "--samples must be at least 1, not 0"),
            "empty-files" => (["compare", "--ref", empty, "--hyp", empty], $"{empty} has no lines"),
            "invalid-utf8" => (["compare", "--ref", @ref, "--hyp", invalid], $"{invalid}: line 2 is not valid UTF-8"),
            _ => throw new ArgumentOutOfRangeException(nameof(problem)),
        };

        var (exitCode, stdout, stderr) = await CliRunner.RunAsync(args);

        Assert.Equal(ExitCodes.InputError, exitCode);
        Assert.Equal("", stdout);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("slt: error: ", line);
        Assert.Contains(expected, line);
    }

    [Fact]
    public async Task UnparsableSamplesIsAUsageError()
    {
        var (exitCode, stdout, stderr) = await CliRunner.RunAsync("compare", "--ref", "r.txt", "--hyp", "h.txt", "--samples", "many");

        Assert.Equal(ExitCodes.InputError, exitCode);
        Assert.Equal("", stdout);
        Assert.Contains("slt: error: ", stderr);
        Assert.Contains("many", stderr);
    }

    private string WriteLines(string name, IEnumerable<string> lines)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, string.Concat(lines.Select(line => line + "\n")), new UTF8Encoding(false));
        return path;
    }

}
