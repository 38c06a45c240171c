namespace SignTranslate.Metrics;

/// <summary>sacreBLEU's <c>13a</c> tokenizer (the mteval-v13a.pl rules).</summary>
public static class Mteval13aTokenizer
{
    public static string Tokenize(string line)
    {
        line = line.Replace("<skipped>", "", StringComparison.Ordinal)
            .Replace("-\n", "", StringComparison.Ordinal)
            .Replace("\n", " ", StringComparison.Ordinal);
        // Entities are unescaped only when an ampersand exists, one after the other, so "&amp;lt;" ends up as "<".
        if (line.Contains('&', StringComparison.Ordinal))
        {
            line = line.Replace("&quot;", "\"", StringComparison.Ordinal)
                .Replace("&amp;", "&", StringComparison.Ordinal)
                .Replace("&lt;", "<", StringComparison.Ordinal)
                .Replace("&gt;", ">", StringComparison.Ordinal);
        }
        // The padding lets a final "1999." split into "1999 ." (a period before a non-digit); zh has no padding.
        return PunctuationSplitter.Split(" " + line + " ");
    }
}
