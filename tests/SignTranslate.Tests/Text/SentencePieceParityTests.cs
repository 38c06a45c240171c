using System.Text.Json;
using SignTranslate.Text;

namespace SignTranslate.Tests.Text;

/// <summary>
/// Parity with the reference <c>sentencepiece</c> library on the trimmed Phoenix mBART model
/// (<c>tests/fixtures/testdata/tokenizer</c>, or the folder in <c>SLT_TOKENIZER_VECTORS</c>): one theory row per JSON file.
/// </summary>
public sealed class SentencePieceParityTests
{
    private const string Subfolder = "tokenizer";
    private const string EnvironmentVariable = "SLT_TOKENIZER_VECTORS";

    public static TheoryData<string> Files => TestFixtures.JsonCases(Subfolder, EnvironmentVariable);

    [Theory]
    [MemberData(nameof(Files))]
    public void ReproducesReferenceIdsAndPieces(string file)
    {
        var folder = TestFixtures.Folder(Subfolder, EnvironmentVariable);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, file)));
        var tokenizer = MBartSentencePieceTokenizer.FromModelFile(ModelPath(folder, json.RootElement.GetProperty("model").GetString()!), "de_DE");
        var cases = json.RootElement.GetProperty("cases").EnumerateArray().ToList();
        Assert.NotEmpty(cases);

        foreach (var testCase in cases)
        {
            var text = testCase.GetProperty("text").GetString()!;
            var expectedIds = testCase.GetProperty("ids").EnumerateArray().Select(e => e.GetInt32()).ToList();
            var expectedPieces = testCase.GetProperty("pieces").EnumerateArray().Select(e => e.GetString()!).ToList();

            var (pieces, ids) = tokenizer.EncodeRaw(text);

            Assert.True(expectedIds.SequenceEqual(ids), $"{file}: ids of '{text}': expected [{string.Join(",", expectedIds)}], got [{string.Join(",", ids)}]");
            for (var i = 0; i < ids.Count; i++)
                if (ids[i] != 0)
                    Assert.True(expectedPieces[i] == pieces[i], $"{file}: piece {i} of '{text}': expected '{expectedPieces[i]}', got '{pieces[i]}'");
            // The mBART layout on top: fairseq offset, unk → 3, then </s> and de_DE.
            var mbart = tokenizer.Encode(text);
            Assert.Equal([.. expectedIds.Select(id => id == 0 ? 3 : id + 1), 2, 2430], mbart);
        }
    }

    /// <summary>
    /// The vectors name the model relative to the fixtures root that holds both <c>testdata/</c> and <c>data/</c>
    /// (<c>data/phoenix2014t/...</c>), i.e. two folders above the vectors folder.
    /// </summary>
    private static string ModelPath(string vectorsFolder, string model) =>
        Path.IsPathRooted(model) ? model : Path.GetFullPath(Path.Combine(vectorsFolder, "..", "..", model));
}
