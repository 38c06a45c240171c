using System.Runtime.Serialization;

namespace SignTranslate.Metrics;

/// <summary>The sacreBLEU tokenizers SignTranslate supports (sacreBLEU's <c>tokenize</c> argument).</summary>
public enum BleuTokenizer
{
    /// <summary><c>13a</c>: mteval-v13a, sacreBLEU's default and what GFSLT-VLP / SignCL use.</summary>
    [EnumMember(Value = "13a")]
    Mteval13a,

    /// <summary><c>zh</c>: every Chinese character (sacreBLEU's range table) is its own token.</summary>
    [EnumMember(Value = "zh")]
    Zh,

    /// <summary><c>char</c>: every code point is a token.</summary>
    [EnumMember(Value = "char")]
    Char,

    /// <summary><c>none</c>: the line as is.</summary>
    [EnumMember(Value = "none")]
    None,
}

public static class BleuTokenizers
{
    /// <summary>The names the CLI and the signature use, in <see cref="BleuTokenizer"/> order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["13a", "zh", "char", "none"];

    /// <summary>sacreBLEU's name of the tokenizer (<c>13a</c>, <c>zh</c>, <c>char</c>, <c>none</c>).</summary>
    public static string Name(this BleuTokenizer tokenizer) => tokenizer switch
    {
        BleuTokenizer.Mteval13a => "13a",
        BleuTokenizer.Zh => "zh",
        BleuTokenizer.Char => "char",
        BleuTokenizer.None => "none",
        _ => throw new ArgumentOutOfRangeException(nameof(tokenizer), tokenizer, null),
    };

    public static bool TryParse(string name, out BleuTokenizer tokenizer)
    {
        for (var i = 0; i < Names.Count; i++)
        {
            if (Names[i] == name)
            {
                tokenizer = (BleuTokenizer)i;
                return true;
            }
        }
        tokenizer = default;
        return false;
    }

    /// <summary>Applies the tokenizer to one (already lowercased and right-stripped) line.</summary>
    public static string Tokenize(this BleuTokenizer tokenizer, string line) => tokenizer switch
    {
        BleuTokenizer.Mteval13a => Mteval13aTokenizer.Tokenize(line),
        BleuTokenizer.Zh => ChineseTokenizer.Tokenize(line),
        BleuTokenizer.Char => CodePoints.JoinWithSpaces(line),
        BleuTokenizer.None => line,
        _ => throw new ArgumentOutOfRangeException(nameof(tokenizer), tokenizer, null),
    };
}
