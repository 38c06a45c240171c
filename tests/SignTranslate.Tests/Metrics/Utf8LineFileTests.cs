using System.Text;

using SignTranslate.Text;

namespace SignTranslate.Tests.Metrics;

public class Utf8LineFileTests
{
    [Theory]
    [InlineData("", new string[0])]
    [InlineData("\n", new[] { "" })]
    [InlineData("a", new[] { "a" })]
    [InlineData("a\nb", new[] { "a", "b" })]
    [InlineData("a\nb\n", new[] { "a", "b" })]
    [InlineData("a\n\nb\n\n", new[] { "a", "", "b", "" })]
    [InlineData("a\r\nb\r\n", new[] { "a", "b" })]
    [InlineData("a\rb\r\r\n", new[] { "a\rb\r" })]
    [InlineData("\uFEFFa\n", new[] { "a" })]
    [InlineData(" a \u3000\n  \n", new[] { " a \u3000", "  " })]
    [InlineData("\u6211 \U0001F43C\u2028x\n", new[] { "\u6211 \U0001F43C\u2028x" })]
    public void SplitsLikePythonFileIterationWithNewlinesRemoved(string content, string[] expected)
    {
        Assert.Equal(expected, Utf8LineFile.SplitLines(Encoding.UTF8.GetBytes(content), "f"));
    }

    [Theory]
    [InlineData(new byte[] { 0xFF }, 1)]
    [InlineData(new byte[] { 0x61, 0x0A, 0xE6, 0x88, 0x0A }, 2)]                 // truncated 3-byte sequence
    [InlineData(new byte[] { 0x61, 0x0A, 0x62, 0x0A, 0xC0, 0xAF }, 3)]           // overlong "/"
    [InlineData(new byte[] { 0x0A, 0xED, 0xA0, 0x80 }, 2)]                       // encoded surrogate
    public void InvalidUtf8NamesTheLine(byte[] content, int line)
    {
        var error = Assert.Throws<InputException>(() => Utf8LineFile.SplitLines(content, "hyp.txt"));
        Assert.Equal($"hyp.txt: line {line} is not valid UTF-8", error.Message);
    }
}
