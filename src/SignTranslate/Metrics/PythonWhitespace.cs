using System.Runtime.CompilerServices;
using System.Text;

namespace SignTranslate.Metrics;

/// <summary>
/// Python's <c>str.split()</c> / <c>str.strip()</c> whitespace, which the reference metrics use. It differs from
/// <see cref="char.IsWhiteSpace(char)"/>: Python also treats the information separators U+001C..U+001F as
/// whitespace, and every whitespace code point is in the BMP.
/// </summary>
public static class PythonWhitespace
{
    public static bool IsWhiteSpace(char c) => c switch
    {
        >= '\u0009' and <= '\u000D' => true,
        >= '\u001C' and <= '\u0020' => true,
        '\u0085' or '\u00A0' or '\u1680' => true,
        >= '\u2000' and <= '\u200A' => true,
        '\u2028' or '\u2029' or '\u202F' or '\u205F' or '\u3000' => true,
        _ => false,
    };

    /// <summary><c>s.split()</c>: runs of whitespace separate tokens; no empty tokens.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static string[] Split(string text)
    {
        var tokens = new List<string>();
        var start = -1;
        for (var i = 0; i < text.Length; i++)
        {
            if (IsWhiteSpace(text[i]))
            {
                if (start >= 0)
                    tokens.Add(text[start..i]);
                start = -1;
            }
            else if (start < 0)
            {
                start = i;
            }
        }
        if (start >= 0)
            tokens.Add(text[start..]);
        return [.. tokens];
    }

    /// <summary><c>' '.join(s.split())</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static string NormalizeSpaces(string text)
    {
        var builder = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (IsWhiteSpace(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }
            if (pendingSpace)
                builder.Append(' ');
            pendingSpace = false;
            builder.Append(c);
        }
        return builder.ToString();
    }

    /// <summary><c>s.rstrip()</c>.</summary>
    public static string TrimEnd(string text)
    {
        var end = text.Length;
        while (end > 0 && IsWhiteSpace(text[end - 1]))
            end--;
        return end == text.Length ? text : text[..end];
    }

    /// <summary><c>s.strip()</c>.</summary>
    public static string Trim(string text)
    {
        var end = text.Length;
        while (end > 0 && IsWhiteSpace(text[end - 1]))
            end--;
        var start = 0;
        while (start < end && IsWhiteSpace(text[start]))
            start++;
        return start == 0 && end == text.Length ? text : text[start..end];
    }
}
