namespace SignTranslate.Decoding;

/// <summary>
/// Settings of <see cref="SequenceGenerator"/>, with HF 4.32 <c>generate()</c> semantics. Defaults are the reference
/// evaluation settings (docs/reference.md#s7.1) except the start token, which is the target language code and has no
/// default.
/// </summary>
public sealed record GenerationOptions
{
    /// <summary>First decoder token: the language code (de_DE 2430 for Phoenix, zh_CN 2452 for CSL-Daily). Required.</summary>
    public required long DecoderStartTokenId { get; init; }

    /// <summary>Tokens generated after the start token at most; HF's max_length is 1 + this. Default 150 (the reference).</summary>
    public int MaxNewTokens { get; init; } = 150;

    /// <summary>Beam width; 1 selects greedy search. Default 4 (the reference).</summary>
    public int NumBeams { get; init; } = 4;

    /// <summary>Exponent of the length normalisation score/len^p, len counting the start token but not &lt;/s&gt;. Default 1.0.</summary>
    public double LengthPenalty { get; init; } = 1.0;

    /// <summary>
    /// Beam stopping rule. false (HF's default, the reference): a batch entry stops once it holds NumBeams finished
    /// hypotheses and none of the open beams can beat the worst one by the current-length heuristic. true: stop as soon
    /// as NumBeams hypotheses are finished.
    /// </summary>
    public bool EarlyStopping { get; init; }

    /// <summary>End-of-sentence id. Default 2.</summary>
    public long EosTokenId { get; init; } = 2;

    /// <summary>Padding id written after a row has finished. Default 1.</summary>
    public long PadTokenId { get; init; } = 1;

    /// <summary>Token forced (score 0, every other token −inf) at the step that reaches max_length; null disables. Default 2.</summary>
    public long? ForcedEosTokenId { get; init; } = 2;

    /// <summary>Reuse cached keys/values instead of re-running the decoder over the whole prefix. Same result; default true.</summary>
    public bool UseCache { get; init; } = true;

    /// <summary>HF's max_length: the start token plus <see cref="MaxNewTokens"/>.</summary>
    public int MaxLength => 1 + MaxNewTokens;

    public void Validate()
    {
        if (MaxNewTokens < 1) throw new ArgumentException($"max_new_tokens must be >= 1, not {MaxNewTokens}.");
        if (NumBeams < 1) throw new ArgumentException($"num_beams must be >= 1, not {NumBeams}.");
    }
}

/// <summary>Generated ids [B][L] (start token first, rows padded to one length) and, for beam search, each row's score.</summary>
public sealed record GenerationResult(long[][] Sequences, double[]? SequenceScores);
