using System.Text;
using System.Text.RegularExpressions;
using SignTranslate.Metrics;

namespace SignTranslate.Tests.Metrics;

public class PunctuationSplitterTests
{
    // sacreBLEU's TokenizerRegexp patterns, verbatim; .NET Regex.Replace behaves like Python's re.sub on them.
    private static readonly (Regex Pattern, string Replacement)[] SacreBleuRules =
    [
        (new Regex(@"([\{-\~\[-\` -\&\(-\+\:-\@\/])"), " $1 "),
        (new Regex(@"([^0-9])([\.,])"), "$1 $2 "),
        (new Regex(@"([\.,])([^0-9])"), " $1 $2"),
        (new Regex(@"([0-9])(-)"), "$1 $2 "),
    ];

    private static string Oracle(string line)
    {
        foreach (var (pattern, replacement) in SacreBleuRules)
            line = pattern.Replace(line, replacement);
        return string.Join(' ', PythonWhitespace.Split(line));
    }

    [Fact]
    public void ScansEqualSacreBleusRegularExpressionsOnRandomLines()
    {
        string[] alphabet =
        [
            "a", "Z", "0", "5", "9", ".", ",", "-", "'", "&", "(", ")", "/", ":", "@", "[", "`", "{", "~", "\"", " ", " ",
            "\u00A0", "\u3000", "\u001C", "\u00E9", "\u6211", "\u3002", "\u201C", "\U0001F43C", "\U00020000",
        ];
        var random = new Random(20261129);
        for (var sample = 0; sample < 3000; sample++)
        {
            var builder = new StringBuilder();
            var length = random.Next(0, 14);
            for (var i = 0; i < length; i++)
                builder.Append(alphabet[random.Next(alphabet.Length)]);
            var line = builder.ToString();
            Assert.True(Oracle(line) == PunctuationSplitter.Split(line), $"line {string.Join(' ', line.Select(c => ((int)c).ToString("X4")))}");
        }
    }

    [Theory]
    [InlineData(" 1999. ", "1999 .")]
    [InlineData("1999.", "1999.")]
    [InlineData("a.,b", "a . , b")]
    [InlineData("3.5,1-2 x-y", "3.5,1 - 2 x-y")]
    [InlineData("\U0001F43C.\U0001F43C", "\U0001F43C . \U0001F43C")]
    public void KnownLines(string line, string expected)
    {
        Assert.Equal(expected, PunctuationSplitter.Split(line));
        Assert.Equal(expected, Oracle(line));
    }

    [Fact]
    public void SymbolClassIsExactlySacreBleusAsciiRanges()
    {
        var expected = new Regex(@"^[\{-\~\[-\` -\&\(-\+\:-\@\/]$");
        for (var c = '\0'; c < '\u0100'; c++)
            Assert.Equal(expected.IsMatch(c.ToString()), PunctuationSplitter.IsSpacedSymbol(c));
    }
}
