using System.Runtime.CompilerServices;

namespace SignTranslate.Metrics;

/// <summary>
/// Iterates a string by Unicode code point, as Python iterates a <c>str</c>: a surrogate pair is one element, and
/// a lone surrogate (impossible after strict UTF-8 decoding, but legal in a .NET string) is kept as its own
/// element instead of being replaced by U+FFFD as <see cref="string.EnumerateRunes"/> would.
/// </summary>
public static class CodePoints
{
    /// <summary>The UTF-16 length (1 or 2) of the code point that starts at <paramref name="index"/>.</summary>
    public static int LengthAt(string text, int index) =>
        char.IsHighSurrogate(text[index]) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]) ? 2 : 1;

    /// <summary>The code point value that starts at <paramref name="index"/> (a lone surrogate gives its own value).</summary>
    public static int ValueAt(string text, int index) =>
        LengthAt(text, index) == 2 ? char.ConvertToUtf32(text[index], text[index + 1]) : text[index];

    /// <summary>All code point values of <paramref name="text"/>.</summary>
    public static int[] Values(string text)
    {
        var values = new List<int>(text.Length);
        for (var i = 0; i < text.Length; i += LengthAt(text, i))
            values.Add(ValueAt(text, i));
        return [.. values];
    }

    /// <summary><c>' '.join(s)</c> in Python: every code point separated by one space.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static string JoinWithSpaces(string text)
    {
        if (text.Length == 0)
            return text;
        var builder = new System.Text.StringBuilder(text.Length * 2);
        for (var i = 0; i < text.Length;)
        {
            if (i > 0)
                builder.Append(' ');
            var length = LengthAt(text, i);
            builder.Append(text, i, length);
            i += length;
        }
        return builder.ToString();
    }
}
