using System.Runtime.CompilerServices;
using System.Text;

namespace SignTranslate.Metrics;

/// <summary>
/// sacreBLEU's <c>TokenizerRegexp</c>, the shared second half of the 13a and zh tokenizers. It applies four
/// substitutions, each to the whole string, left to right and without overlaps (Python's <c>re.sub</c>):
/// <list type="number">
/// <item><c>([\{-\~\[-\` -\&amp;\(-\+\:-\@\/])</c> → <c> \1 </c>: spaces around ASCII punctuation and symbols,</item>
/// <item><c>([^0-9])([\.,])</c> → <c>\1 \2 </c>: a period or comma after a non-digit,</item>
/// <item><c>([\.,])([^0-9])</c> → <c> \1 \2</c>: a period or comma before a non-digit,</item>
/// <item><c>([0-9])(-)</c> → <c>\1 \2 </c>: a hyphen after a digit,</item>
/// </list>
/// then <c>' '.join(line.split())</c>. Each pattern is two characters long and depends only on those two, so a
/// left-to-right scan that skips past every match is exactly <c>re.sub</c>. The classes are ASCII, so scanning
/// UTF-16 code units instead of code points never changes a match (a surrogate is a "non-digit" either way).
/// Explicit scans instead of regular expressions keep a cold <c>slt score</c> fast.
/// </summary>
public static class PunctuationSplitter
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static string Split(string line)
    {
        var builder = new StringBuilder(line.Length * 2);
        foreach (var c in line)
        {
            if (IsSpacedSymbol(c))
                builder.Append(' ').Append(c).Append(' ');
            else
                builder.Append(c);
        }
        var spaced = builder.ToString();

        builder.Clear();
        for (var i = 0; i < spaced.Length; i++)
        {
            if (i + 1 < spaced.Length && !IsAsciiDigit(spaced[i]) && IsPeriodOrComma(spaced[i + 1]))
            {
                builder.Append(spaced[i]).Append(' ').Append(spaced[i + 1]).Append(' ');
                i++;
            }
            else
            {
                builder.Append(spaced[i]);
            }
        }
        spaced = builder.ToString();

        builder.Clear();
        for (var i = 0; i < spaced.Length; i++)
        {
            if (i + 1 < spaced.Length && IsPeriodOrComma(spaced[i]) && !IsAsciiDigit(spaced[i + 1]))
            {
                builder.Append(' ').Append(spaced[i]).Append(' ').Append(spaced[i + 1]);
                i++;
            }
            else
            {
                builder.Append(spaced[i]);
            }
        }
        spaced = builder.ToString();

        builder.Clear();
        for (var i = 0; i < spaced.Length; i++)
        {
            if (i + 1 < spaced.Length && IsAsciiDigit(spaced[i]) && spaced[i + 1] == '-')
            {
                builder.Append(spaced[i]).Append(" - ");
                i++;
            }
            else
            {
                builder.Append(spaced[i]);
            }
        }
        return PythonWhitespace.NormalizeSpaces(builder.ToString());
    }

    /// <summary>
    /// The first pattern's class: U+0020..U+0026, U+0028..U+002B, U+002F, U+003A..U+0040, U+005B..U+0060,
    /// U+007B..U+007E. Not apostrophe, comma, hyphen, period, digits or letters.
    /// </summary>
    public static bool IsSpacedSymbol(char c) =>
        c is (>= ' ' and <= '&') or (>= '(' and <= '+') or '/' or (>= ':' and <= '@') or (>= '[' and <= '`') or (>= '{' and <= '~');

    private static bool IsAsciiDigit(char c) => c is >= '0' and <= '9';

    private static bool IsPeriodOrComma(char c) => c is '.' or ',';
}
