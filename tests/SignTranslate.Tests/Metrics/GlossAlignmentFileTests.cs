using SignTranslate.Data;
using SignTranslate.Metrics;

namespace SignTranslate.Tests.Metrics;

/// <summary>The alignment file format that gives real videos their gloss spans for the SDR.</summary>
public sealed class GlossAlignmentFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("slt-alignment-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string text)
    {
        var path = Path.Combine(_folder, "alignment.tsv");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void ReadsSpansPerSampleInLineOrderAndSkipsCommentsAndBlankLines()
    {
        var path = Write("# sample\tgloss\tstart\tend\r\ntest/a\tMORGEN\t0\t12\n\ntest/b\tREGEN\t5\t9\ntest/a\tSONNE\t12\t30\n");

        var spans = GlossAlignmentFile.Read(path);

        Assert.Equal(["test/a", "test/b"], spans.Keys.Order(StringComparer.Ordinal));
        Assert.Equal([new GlossSpan("MORGEN", 0, 12), new GlossSpan("SONNE", 12, 30)], spans["test/a"]);
        Assert.Equal([new GlossSpan("REGEN", 5, 9)], spans["test/b"]);
    }

    [Theory]
    [InlineData("test/a\tMORGEN\t0\n", ":1: expected 4 tab-separated fields (sample_id, gloss, start, end), got 3")]
    [InlineData("test/a\tMORGEN\t0\t4\ntest/a\tREGEN\tfive\t9\n", ":2: start must be a non-negative integer frame index, got 'five'")]
    [InlineData("test/a\tMORGEN\t-1\t4\n", ":1: start must be a non-negative integer frame index, got '-1'")]
    [InlineData("test/a\tMORGEN\t4\t4\n", ":1: end (4) must be greater than start (4); spans are [start, end)")]
    [InlineData("\tMORGEN\t0\t4\n", ":1: empty sample id or gloss")]
    [InlineData("# only a comment\n", ": no gloss spans")]
    public void MalformedLinesNameFileLineAndProblem(string text, string expectedSuffix)
    {
        var path = Write(text);
        Assert.Equal(path + expectedSuffix, Assert.Throws<InputException>(() => GlossAlignmentFile.Read(path)).Message);
    }

    [Fact]
    public void MissingFileIsAnInputError()
    {
        var path = Path.Combine(_folder, "missing.tsv");
        Assert.Equal($"{path}: alignment file not found", Assert.Throws<InputException>(() => GlossAlignmentFile.Read(path)).Message);
    }
}
