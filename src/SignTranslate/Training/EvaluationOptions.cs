using SignTranslate.Config;
using SignTranslate.Decoding;
using SignTranslate.Metrics;

namespace SignTranslate.Training;

/// <summary>The <c>eval</c> section: how translations are generated and scored (docs/reference.md#s7).</summary>
public sealed record EvaluationOptions : IValidatableConfig
{
    /// <summary>Beam width, at least 1; 1 is greedy search. Reference 4.</summary>
    public int NumBeams { get; init; } = 4;

    /// <summary>Tokens generated after the language code at most, at least 1. Reference 150.</summary>
    public int MaxNewTokens { get; init; } = 150;

    /// <summary>Length normalisation exponent of beam scores, a finite number. Reference 1.0.</summary>
    public double LengthPenalty { get; init; } = 1.0;

    /// <summary>Stop a beam search as soon as num_beams hypotheses are finished. Reference false (HF default).</summary>
    public bool EarlyStopping { get; init; }

    /// <summary>How hypotheses and references are tokenised for BLEU and ROUGE-L (CSL-Daily: <c>char_split: true</c>).</summary>
    public ScoringOptions Scoring { get; init; } = new();

    /// <summary>
    /// Score against references re-decoded from the tokenized targets (NFKC-normalised, unknown pieces dropped), as
    /// the reference does (docs/reference.md#s11.12). Default false: the normalised raw text.
    /// </summary>
    public bool ReferencesFromTokenIds { get; init; }

    /// <summary>The generation settings for a model whose sentences start with <paramref name="startTokenId"/>.</summary>
    public GenerationOptions Generation(long startTokenId, long eosTokenId, long padTokenId) => new()
    {
        DecoderStartTokenId = startTokenId,
        NumBeams = NumBeams,
        MaxNewTokens = MaxNewTokens,
        LengthPenalty = LengthPenalty,
        EarlyStopping = EarlyStopping,
        EosTokenId = eosTokenId,
        PadTokenId = padTokenId,
        ForcedEosTokenId = eosTokenId,
    };

    public IEnumerable<ConfigProblem> Validate()
    {
        if (NumBeams < 1) yield return new ConfigProblem("num_beams", $"must be at least 1, got {NumBeams}");
        if (MaxNewTokens < 1) yield return new ConfigProblem("max_new_tokens", $"must be at least 1, got {MaxNewTokens}");
        // Beam scores are divided by length^p: a NaN or infinite p makes them NaN or 0, so no beam is ranked.
        if (!double.IsFinite(LengthPenalty)) yield return new ConfigProblem("length_penalty", $"must be a finite number, got {ConfigChecks.Show(LengthPenalty)}");
        foreach (var p in Scoring.Validate()) yield return p.Under("scoring");
    }
}
