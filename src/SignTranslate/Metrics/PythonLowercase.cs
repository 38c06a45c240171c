using System.Globalization;
using System.Text;

namespace SignTranslate.Metrics;

/// <summary>
/// Python's <c>str.lower()</c>, which sacreBLEU applies when lowercasing. It is the Unicode full lowercase mapping:
/// the simple mapping plus <c>İ</c> (U+0130) → <c>i̇</c> (two code points) and the Greek final-sigma rule
/// (<c>ΣΑΣ</c> → <c>σας</c>). <see cref="string.ToLowerInvariant"/> has neither.
/// </summary>
public static class PythonLowercase
{
    private const int CapitalSigma = 0x03A3;
    private const char SmallSigma = '\u03C3';
    private const char FinalSigma = '\u03C2';

    public static string Lower(string text)
    {
        if (IsAscii(text))
            return text.ToLowerInvariant();
        var points = CodePoints.Values(text);
        var builder = new StringBuilder(text.Length + 4);
        for (var i = 0; i < points.Length; i++)
        {
            var point = points[i];
            if (point == 0x0130)
                builder.Append("i\u0307");
            else if (point == CapitalSigma)
                builder.Append(IsFinalSigma(points, i) ? FinalSigma : SmallSigma);
            else if (Rune.IsValid(point))
                builder.Append(Rune.ToLowerInvariant(new Rune(point)).ToString());
            else
                builder.Append((char)point);
        }
        return builder.ToString();
    }

    private static bool IsAscii(string text)
    {
        foreach (var c in text)
            if (c > '\u007F')
                return false;
        return true;
    }

    // Unicode's Final_Sigma condition, evaluated as CPython does: the nearest non-case-ignorable code point before
    // the sigma is cased, and the nearest one after it (if any) is not.
    private static bool IsFinalSigma(int[] points, int index)
    {
        var before = index - 1;
        while (before >= 0 && IsCaseIgnorable(points[before]))
            before--;
        if (before < 0 || !IsCased(points[before]))
            return false;
        var after = index + 1;
        while (after < points.Length && IsCaseIgnorable(points[after]))
            after++;
        return after == points.Length || !IsCased(points[after]);
    }

    /// <summary>Unicode <c>Case_Ignorable</c>: Mn, Me, Cf, Lm, Sk, or word-break MidLetter/MidNumLet/Single_Quote.</summary>
    public static bool IsCaseIgnorable(int point)
    {
        if (!Rune.IsValid(point))
            return false;
        switch (Rune.GetUnicodeCategory(new Rune(point)))
        {
            case UnicodeCategory.NonSpacingMark:
            case UnicodeCategory.EnclosingMark:
            case UnicodeCategory.Format:
            case UnicodeCategory.ModifierLetter:
            case UnicodeCategory.ModifierSymbol:
                return true;
        }
        return point is 0x0027 or 0x002E or 0x003A or 0x00B7 or 0x0387 or 0x055F or 0x05F4 or 0x2018 or 0x2019
            or 0x2024 or 0x2027 or 0xFE13 or 0xFE52 or 0xFE55 or 0xFF07 or 0xFF0E or 0xFF1A;
    }

    /// <summary>Unicode <c>Cased</c>: Lu, Ll, Lt, or <c>Other_Lowercase</c>/<c>Other_Uppercase</c>.</summary>
    public static bool IsCased(int point)
    {
        if (!Rune.IsValid(point))
            return false;
        switch (Rune.GetUnicodeCategory(new Rune(point)))
        {
            case UnicodeCategory.UppercaseLetter:
            case UnicodeCategory.LowercaseLetter:
            case UnicodeCategory.TitlecaseLetter:
                return true;
        }
        return IsOtherCased(point);
    }

    // The Other_Lowercase/Other_Uppercase code points that are neither letters of a cased category nor
    // case-ignorable (modifier letters and U+0345 are case-ignorable, which the sigma rule checks first).
    private static bool IsOtherCased(int point) => point switch
    {
        0x00AA or 0x00BA => true,      // ª º
        >= 0x2160 and <= 0x217F => true, // Roman numerals
        >= 0x24B6 and <= 0x24E9 => true, // circled Latin letters
        >= 0x1F130 and <= 0x1F149 => true, // squared Latin capitals
        >= 0x1F150 and <= 0x1F169 => true, // negative circled Latin capitals
        >= 0x1F170 and <= 0x1F189 => true, // negative squared Latin capitals
        _ => false,
    };
}
