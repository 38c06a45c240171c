using System.Text.RegularExpressions;

namespace SignTranslate.Metrics;

/// <summary>
/// sacreBLEU's <c>TokenizerRegexp</c>, the shared second half of the 13a and zh tokenizers: spaces around ASCII
/// punctuation and symbols, periods and commas split off unless next to an ASCII digit, a hyphen split off after
/// a digit, then whitespace normalised. Each pattern is applied to the whole string, left to right, without
/// overlaps, exactly like Python's <c>re.sub</c>. The classes are ASCII-only, so matching UTF-16 code units never
/// separates a surrogate pair.
/// </summary>
public static partial class PunctuationSplitter
{
    public static string Split(string line)
    {
        line = AsciiSymbol().Replace(line, " $1 ");
        line = PeriodCommaAfterNonDigit().Replace(line, "$1 $2 ");
        line = PeriodCommaBeforeNonDigit().Replace(line, " $1 $2");
        line = HyphenAfterDigit().Replace(line, "$1 $2 ");
        return PythonWhitespace.NormalizeSpaces(line);
    }

    [GeneratedRegex(@"([\{-\~\[-\` -\&\(-\+\:-\@\/])", RegexOptions.CultureInvariant)]
    private static partial Regex AsciiSymbol();

    [GeneratedRegex(@"([^0-9])([\.,])", RegexOptions.CultureInvariant)]
    private static partial Regex PeriodCommaAfterNonDigit();

    [GeneratedRegex(@"([\.,])([^0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex PeriodCommaBeforeNonDigit();

    [GeneratedRegex(@"([0-9])(-)", RegexOptions.CultureInvariant)]
    private static partial Regex HyphenAfterDigit();
}
