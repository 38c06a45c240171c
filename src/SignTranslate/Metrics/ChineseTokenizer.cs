using System.Runtime.CompilerServices;
using System.Text;

namespace SignTranslate.Metrics;

/// <summary>
/// sacreBLEU's <c>zh</c> tokenizer: strip, surround every "Chinese" code point with spaces, then the shared
/// punctuation rules (without 13a's entity handling and padding).
/// </summary>
public static class ChineseTokenizer
{
    // sacreBLEU's table, as Python evaluates it. Its Extension B and Compatibility Supplement rows are written
    // u'\u20000'..u'\u2a6d6' and u'\u2f800'..u'\u2fa1d', which Python reads as a 4-digit escape plus a digit; a
    // one-code-point string then compares inside them exactly when it lies in U+2001..U+2A6D or U+2F81..U+2FA1.
    // So general punctuation (curly quotes, dashes, ellipsis), arrows and maths symbols count as Chinese, and
    // Extension B (U+20000+) does not.
    private static readonly (int First, int Last)[] ChineseRanges =
    [
        (0x3400, 0x4DB5), (0x4E00, 0x9FA5), (0x9FA6, 0x9FBB), (0xF900, 0xFA2D), (0xFA30, 0xFA6A), (0xFA70, 0xFAD9),
        (0x2001, 0x2A6D), (0x2F81, 0x2FA1),
        (0xFF00, 0xFFEF), (0x2E80, 0x2EFF), (0x3000, 0x303F), (0x31C0, 0x31EF), (0x2F00, 0x2FDF), (0x2FF0, 0x2FFF),
        (0x3100, 0x312F), (0x31A0, 0x31BF), (0xFE10, 0xFE1F), (0xFE30, 0xFE4F), (0x2600, 0x26FF), (0x2700, 0x27BF),
        (0x3200, 0x32FF), (0x3300, 0x33FF),
    ];

    public static bool IsChinese(int codePoint)
    {
        foreach (var (first, last) in ChineseRanges)
            if (codePoint >= first && codePoint <= last)
                return true;
        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static string Tokenize(string line)
    {
        line = PythonWhitespace.Trim(line);
        var builder = new StringBuilder(line.Length * 2);
        for (var i = 0; i < line.Length;)
        {
            var length = CodePoints.LengthAt(line, i);
            if (IsChinese(CodePoints.ValueAt(line, i)))
                builder.Append(' ').Append(line, i, length).Append(' ');
            else
                builder.Append(line, i, length);
            i += length;
        }
        return PunctuationSplitter.Split(builder.ToString());
    }
}
