namespace SignTranslate.Text;

/// <summary>
/// Splits a text around the literal <c>&lt;mask&gt;</c> token, the way the HF tokenizer treats it as an added
/// special token: it is never split into pieces, and it swallows the whitespace on its left (<c>lstrip</c>).
/// </summary>
internal static class MaskedText
{
    public const string MaskToken = "<mask>";

    /// <summary>The text between masks (trimmed, empty ones dropped) and <c>null</c> for each mask, in order.</summary>
    public static IEnumerable<string?> Segments(string text)
    {
        var start = 0;
        while (true)
        {
            var at = text.IndexOf(MaskToken, start, StringComparison.Ordinal);
            var segment = (at < 0 ? text[start..] : text[start..at]).Trim();
            if (segment.Length > 0) yield return segment;
            if (at < 0) yield break;
            yield return null;
            start = at + MaskToken.Length;
        }
    }
}
