using SignTranslate.Config;

namespace SignTranslate.Metrics;

/// <summary>How hypotheses and references are prepared before BLEU-1..4 and ROUGE-L.</summary>
public sealed record ScoringOptions : IValidatableConfig
{
    /// <summary>
    /// sacreBLEU tokenizer for BLEU (YAML <c>tokenize</c>: <c>13a</c>, <c>zh</c>, <c>char</c>, <c>none</c>).
    /// Default <c>13a</c>, what the GFSLT-VLP and SignCL training scripts use (they never select <c>zh</c>).
    /// ROUGE-L ignores it.
    /// </summary>
    public BleuTokenizer Tokenize { get; init; } = BleuTokenizer.Mteval13a;

    /// <summary>
    /// Lowercase both sides before BLEU, with Python <c>str.lower()</c> semantics (sacreBLEU's <c>-lc</c>,
    /// signature <c>case:lc</c>). Default false (case-sensitive, as the reference scripts). ROUGE-L ignores it.
    /// </summary>
    public bool Lowercase { get; init; }

    /// <summary>
    /// CSL-Daily preprocessing of SignCL's <c>train_csl_SignCL.py</c> (YAML <c>char_split</c>): every
    /// hypothesis and reference becomes its code points joined by single spaces before every metric, so BLEU and
    /// ROUGE-L count characters. Default false (Phoenix-2014T).
    /// </summary>
    public bool CharSplit { get; init; }

    // Derived values are methods, not properties, so that serialising the options (config dumps) writes only the
    // three settings above.

    /// <summary>The sacreBLEU signature of these settings.</summary>
    public string Signature() => BleuSignature.For(Tokenize, Lowercase);

    /// <summary><c>char_split</c> or <c>none</c>, as the reference vectors name the preprocessing.</summary>
    public string PreprocessName() => CharSplit ? "char_split" : "none";

    public IEnumerable<ConfigProblem> Validate() => new ConfigChecks().Defined("tokenize", Tokenize);
}
