using System.Text;
using System.Text.Json;
using SignTranslate.Cli;
using SignTranslate.Tests.Metrics;

namespace SignTranslate.Tests.Cli;

/// <summary><c>slt score</c> run in-process on files in a temporary folder.</summary>
[Collection(ProcessStateCollection.Name)]
public sealed class ScoreCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("slt-score-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    public static TheoryData<string> Files => MetricsVector.Files();

    [Theory]
    [MemberData(nameof(Files))]
    public async Task JsonOutputOnVectorFilesEqualsTheVector(string file)
    {
        var vector = MetricsVector.Load(file);
        var hyp = WriteLines("hyp.txt", vector.Strings("hypotheses"));
        var @ref = WriteLines("ref.txt", vector.Strings("references"));
        var options = vector.Options;
        List<string> args = ["score", "--hyp", hyp, "--ref", @ref, "--tokenize", vector.String("tokenize"), "--json"];
        if (options.Lowercase)
            args.Add("--lowercase");
        if (options.CharSplit)
            args.Add("--char-split");

        var (exitCode, stdout, stderr) = await CliRunner.RunAsync([.. args]);

        Assert.Equal(ExitCodes.Success, exitCode);
        Assert.Equal("", stderr);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        foreach (var name in new[] { "bleu1", "bleu2", "bleu3", "bleu4", "rouge_l", "bp" })
            Assert.True(Math.Abs(vector.Double(name) - root.GetProperty(name).GetDouble()) <= 1e-9,
                $"{name}: expected {vector.Double(name):R}, got {root.GetProperty(name).GetDouble():R}");
        Assert.Equal(vector.Long("sys_len"), root.GetProperty("sys_len").GetInt64());
        Assert.Equal(vector.Long("ref_len"), root.GetProperty("ref_len").GetInt64());
        Assert.Equal(vector.Longs("counts"), MetricsVector.Longs(root.GetProperty("counts")));
        Assert.Equal(vector.Longs("totals"), MetricsVector.Longs(root.GetProperty("totals")));
        Assert.Equal(vector.Root.GetProperty("bleu_by_order").GetProperty("4").GetProperty("signature").GetString(),
            root.GetProperty("signature").GetString());
        Assert.Equal(vector.String("preprocess"), root.GetProperty("preprocess").GetString());
        Assert.Equal(vector.Strings("hypotheses").Length, root.GetProperty("lines").GetInt32());
        Assert.Equal(1, stdout.Count(c => c == '\n'));
    }

    [Fact]
    public async Task TableShowsRoundedScoresAndSignature()
    {
        var hyp = WriteLines("hyp.txt", ["the quick brown fox jumps over the lazy dog"]);
        var @ref = WriteLines("ref.txt", ["the quick brown fox jumps over the lazy dog"]);

        var (exitCode, stdout, stderr) = await CliRunner.RunAsync(["score", "--hyp", hyp, "--ref", @ref]);

        Assert.Equal(ExitCodes.Success, exitCode);
        Assert.Equal("", stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["BLEU-1", "BLEU-2", "BLEU-3", "BLEU-4", "ROUGE-L"], lines[..5].Select(l => l.Split(' ')[0]));
        Assert.All(lines[..5], line => Assert.EndsWith(" 100.00", line));
        var valueColumn = lines[0].IndexOf("100.00", StringComparison.Ordinal);
        Assert.All(lines, line => Assert.NotEqual(' ', line[valueColumn]));
        Assert.Contains("signature    nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.2.0", lines);
        Assert.Contains("sys/ref len  9 / 9", lines);
    }

    [Fact]
    public async Task LowercaseAndTokenizerAppearInTheSignature()
    {
        var hyp = WriteLines("hyp.txt", ["Regen"]);
        var @ref = WriteLines("ref.txt", ["regen"]);

        var (exitCode, stdout, _) = await CliRunner.RunAsync(["score", "--hyp", hyp, "--ref", @ref, "--tokenize", "zh", "--lowercase", "--json"]);

        Assert.Equal(ExitCodes.Success, exitCode);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal("nrefs:1|case:lc|eff:no|tok:zh|smooth:exp|version:2.2.0", json.RootElement.GetProperty("signature").GetString());
        Assert.Equal(100.00000000000004, json.RootElement.GetProperty("bleu1").GetDouble());
        Assert.Equal(0.0, json.RootElement.GetProperty("rouge_l").GetDouble());
    }

    [Fact]
    public async Task EmptyFilesScoreZero()
    {
        var hyp = WriteBytes("hyp.txt", []);
        var @ref = WriteBytes("ref.txt", []);

        var (exitCode, stdout, stderr) = await CliRunner.RunAsync(["score", "--hyp", hyp, "--ref", @ref, "--json"]);

        Assert.Equal(ExitCodes.Success, exitCode);
        Assert.Equal("", stderr);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        foreach (var name in new[] { "bleu1", "bleu2", "bleu3", "bleu4", "rouge_l" })
            Assert.Equal(0.0, root.GetProperty(name).GetDouble());
        // sacreBLEU's penalty applies only when sys_len < ref_len; 0 == 0 keeps it at 1.
        Assert.Equal(1.0, root.GetProperty("bp").GetDouble());
        Assert.Equal(0, root.GetProperty("lines").GetInt32());
        Assert.Equal(0, root.GetProperty("sys_len").GetInt64());
    }

    [Fact]
    public async Task MissingFileIsAOneLineErrorWithExitCode2()
    {
        var @ref = WriteLines("ref.txt", ["a"]);
        var missing = Path.Combine(_folder, "nope.txt");

        var (exitCode, stdout, stderr) = await CliRunner.RunAsync(["score", "--hyp", missing, "--ref", @ref]);

        Assert.Equal(ExitCodes.InputError, exitCode);
        Assert.Equal("", stdout);
        Assert.Equal($"slt: error: {missing}: file not found{Environment.NewLine}", stderr);
    }

    [Fact]
    public async Task DifferentLineCountsNameBothCounts()
    {
        var hyp = WriteLines("hyp.txt", ["a", "b", "c"]);
        var @ref = WriteLines("ref.txt", ["a", "b"]);

        var (exitCode, stdout, stderr) = await CliRunner.RunAsync(["score", "--hyp", hyp, "--ref", @ref]);

        Assert.Equal(ExitCodes.InputError, exitCode);
        Assert.Equal("", stdout);
        Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.Contains($"{hyp} has 3 lines but {@ref} has 2", stderr);
    }

    [Fact]
    public async Task InvalidUtf8NamesFileAndLine()
    {
        var hyp = WriteLines("hyp.txt", ["a", "b", "c"]);
        var @ref = WriteBytes("ref.txt", [.. "ok\nfine\n"u8, 0x61, 0xC3, 0x28, (byte)'\n']);

        var (exitCode, stdout, stderr) = await CliRunner.RunAsync(["score", "--hyp", hyp, "--ref", @ref]);

        Assert.Equal(ExitCodes.InputError, exitCode);
        Assert.Equal("", stdout);
        Assert.Equal($"slt: error: {@ref}: line 3 is not valid UTF-8{Environment.NewLine}", stderr);
    }

    [Theory]
    [InlineData("--tokenize", "intl", "--tokenize must be one of 13a, zh, char, none, not 'intl'")]
    [InlineData("--hyp", null, "--hyp FILE is required")]
    public async Task BadOptionsExitWith2(string option, string? value, string message)
    {
        var file = WriteLines("x.txt", ["a"]);
        string[] args = option == "--hyp" ? ["score", "--ref", file] : ["score", "--hyp", file, "--ref", file, option, value!];

        var (exitCode, stdout, stderr) = await CliRunner.RunAsync(args);

        Assert.Equal(ExitCodes.InputError, exitCode);
        Assert.Equal("", stdout);
        Assert.Equal($"slt: error: {message}{Environment.NewLine}", stderr);
    }

    private string WriteLines(string name, IEnumerable<string> lines) =>
        WriteBytes(name, Encoding.UTF8.GetBytes(string.Concat(lines.Select(line => line + "\n"))));

    private string WriteBytes(string name, byte[] bytes)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
