using SignTranslate.Metrics;

namespace SignTranslate.Tests.Metrics;

/// <summary>Python string semantics and sacreBLEU tokenizer details (expected values from CPython 3.11 / sacreBLEU 2.2.0 rules).</summary>
public class TextHandlingTests
{
    [Theory]
    [InlineData("\u0130stanbul", "i\u0307stanbul")]                   // İ → i + combining dot above
    [InlineData("\u03A3\u0391\u03A3", "\u03C3\u03B1\u03C2")]           // ΣΑΣ → σας
    [InlineData("\u039F\u0394\u039F\u03A3.", "\u03BF\u03B4\u03BF\u03C2.")]
    [InlineData("\u03A3", "\u03C3")]                                   // no cased letter before: not final
    [InlineData("\u0391\u03A3\u0301\u0392", "\u03B1\u03C3\u0301\u03B2")] // a cased letter follows the accent
    [InlineData("\u0391\u03A3\u0301 \u0392", "\u03B1\u03C2\u0301 \u03B2")]
    [InlineData("A'\u03A3", "a'\u03C2")]                                // apostrophe is case-ignorable
    [InlineData("\u216B\u03A3", "\u217B\u03C2")]                        // Roman numeral is cased
    [InlineData("\u00AA\u03A3", "\u00AA\u03C2")]                        // ª is Other_Lowercase
    [InlineData("\u01C4", "\u01C6")]
    [InlineData("Am Montag REGEN im S\u00FCden", "am montag regen im s\u00FCden")]
    public void LowercaseFollowsPythonStrLower(string text, string expected)
    {
        Assert.Equal(expected, PythonLowercase.Lower(text));
    }

    [Fact]
    public void WhitespaceIsPythonsSet()
    {
        Assert.Equal(["a", "b", "c", "d\u200Be"], PythonWhitespace.Split(" \u001C a\u001Fb\u3000c\u00A0d\u200Be\u0085 "));
        Assert.Equal("a", PythonWhitespace.Trim(" \u001Ca\u001D "));
        Assert.Equal(" \u2029a", PythonWhitespace.TrimEnd(" \u2029a\u202F\u205F\u1680"));
        Assert.False(PythonWhitespace.IsWhiteSpace('\u200B'));
        Assert.False(PythonWhitespace.IsWhiteSpace('\u180E'));
    }

    [Theory]
    [InlineData("a&amp;lt;b", "a < b")]                 // entities unescaped one after the other
    [InlineData("x &amp y", "x & amp y")]               // no semicolon: not an entity
    [InlineData("a<skipped>b", "ab")]
    [InlineData("e-mail 2-3 1,000.5 end.", "e-mail 2 - 3 1,000.5 end .")]
    [InlineData("\u201Chi\u201D\u2014ok\u2026", "\u201Chi\u201D\u2014ok\u2026")] // non-ASCII punctuation stays attached
    public void Mteval13aRules(string line, string expected)
    {
        Assert.Equal(expected, Mteval13aTokenizer.Tokenize(line));
    }

    [Theory]
    [InlineData("x\u2A6Dy", "x \u2A6D y")]              // last code point of the misread U+20000 row
    [InlineData("x\u2A6Ey", "x\u2A6Ey")]
    [InlineData("a\U00020000b", "a\U00020000b")]         // CJK Extension B is not "Chinese" for sacreBLEU
    [InlineData("\u4ED61999.", "\u4ED6 1999.")]          // no padding: a final number keeps its period
    [InlineData(" \u6211\u7231\u5317\u4EAC\u3002 ", "\u6211 \u7231 \u5317 \u4EAC \u3002")]
    public void ChineseTokenizerRules(string line, string expected)
    {
        Assert.Equal(expected, ChineseTokenizer.Tokenize(line));
    }

    [Fact]
    public void CharSplitIteratesByCodePoint()
    {
        var options = new ScoringOptions { CharSplit = true };

        Assert.Equal("\u6211   \U0001F43C e \u0301", CorpusScorer.Preprocess("\u6211 \U0001F43Ce\u0301", options));
        Assert.Equal("", CorpusScorer.Preprocess("", options));
        // A lone surrogate stays itself (Python keeps it too) rather than becoming U+FFFD.
        Assert.Equal("a \uD800 b", CodePoints.JoinWithSpaces("a\uD800b"));
    }

    [Fact]
    public void TokenizerNamesRoundTrip()
    {
        foreach (var name in BleuTokenizers.Names)
        {
            Assert.True(BleuTokenizers.TryParse(name, out var tokenizer));
            Assert.Equal(name, tokenizer.Name());
        }
        Assert.False(BleuTokenizers.TryParse("13A", out _));
    }
}
