using System.Text.Json;
using SignTranslate.Config;
using SignTranslate.Files;

namespace SignTranslate.Models;

/// <summary>
/// Sizes and token ids of an mBART model, named after the HF <c>MBartConfig</c> fields (snake_case in config.json),
/// so a HF config.json loads with <see cref="FromConfigJson"/>. Defaults are HF's MBartConfig defaults.
/// </summary>
public sealed record MBartOptions : IValidatableConfig
{
    /// <summary>Vocabulary size V (rows of the token table and of the LM head). HF default 50265; the trimmed Phoenix vocabulary is 2454.</summary>
    public int VocabSize { get; init; } = 50265;

    /// <summary>Longest sequence the learned position table covers; the table has this + 2 rows (offset 2). At least 1. Default 1024.</summary>
    public int MaxPositionEmbeddings { get; init; } = 1024;

    /// <summary>Model width D; at least 1 and divisible by both head counts. Default 1024.</summary>
    public int DModel { get; init; } = 1024;

    /// <summary>Number of encoder layers; at least 1. Default 12.</summary>
    public int EncoderLayers { get; init; } = 12;

    /// <summary>Encoder attention heads (D must divide by it); at least 1. Default 16.</summary>
    public int EncoderAttentionHeads { get; init; } = 16;

    /// <summary>Encoder feed-forward width; at least 1. Default 4096.</summary>
    public int EncoderFfnDim { get; init; } = 4096;

    /// <summary>Number of decoder layers; at least 1. Default 12.</summary>
    public int DecoderLayers { get; init; } = 12;

    /// <summary>Decoder attention heads (D must divide by it); at least 1. Default 16.</summary>
    public int DecoderAttentionHeads { get; init; } = 16;

    /// <summary>Decoder feed-forward width; at least 1. Default 4096.</summary>
    public int DecoderFfnDim { get; init; } = 4096;

    /// <summary>Dropout after embeddings, attention blocks and FFN blocks (training only), in [0, 1). Default 0.1.</summary>
    public double Dropout { get; init; } = 0.1;

    /// <summary>Dropout on attention probabilities (training only), in [0, 1). Default 0.</summary>
    public double AttentionDropout { get; init; }

    /// <summary>Dropout after the FFN activation (training only), in [0, 1). Default 0.</summary>
    public double ActivationDropout { get; init; }

    /// <summary>FFN activation: <c>gelu</c> (exact erf form) or <c>relu</c>. Default gelu.</summary>
    public string ActivationFunction { get; init; } = "gelu";

    /// <summary>Multiply token embeddings by sqrt(D); applies to token ids only, never to <c>inputs_embeds</c>. Default false (HF); every reference config sets true.</summary>
    public bool ScaleEmbedding { get; init; }

    /// <summary>LM head shares the token table (MBart_trimmed) or has its own matrix (mytran, LLMD). Default true (HF).</summary>
    public bool TieWordEmbeddings { get; init; } = true;

    /// <summary>Padding id, at least 0. Default 1.</summary>
    public int PadTokenId { get; init; } = 1;

    /// <summary>Beginning-of-sentence id, at least 0. Default 0.</summary>
    public int BosTokenId { get; init; }

    /// <summary>End-of-sentence id <c>&lt;/s&gt;</c>, at least 0. Default 2.</summary>
    public int EosTokenId { get; init; } = 2;

    /// <summary>Token forced at the last generation step (HF ForcedEOSTokenLogitsProcessor), at least 0; null disables. Default 2.</summary>
    public int? ForcedEosTokenId { get; init; } = 2;

    /// <summary>The LM head's <c>final_logits_bias</c> buffer is always present; this is only the config's start token (null in the reference configs: GFSLT passes the language code). Default null.</summary>
    public int? DecoderStartTokenId { get; init; }

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowReadingFromString,
    };

    /// <summary>Reads the fields above from a HF <c>config.json</c>; other fields are ignored.</summary>
    public static MBartOptions FromConfigJson(string path)
    {
        try
        {
            var options = JsonSerializer.Deserialize<MBartOptions>(UserFiles.ReadAllText(path, "mBART config.json"), JsonOptions)
                ?? throw new InvalidDataException($"{path}: empty config.");
            options.ThrowIfInvalid();
            return options;
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            throw new InvalidDataException($"{path}: not a valid mBART config.json ({e.Message})", e);
        }
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming every problem of <see cref="Validate"/>.</summary>
    public void ThrowIfInvalid()
    {
        var problems = Validate().Select(p => $"{p.Key} {p.Message}").ToList();
        if (problems.Count > 0)
            throw new ArgumentException(string.Join("; ", problems) + ".");
    }

    public IEnumerable<ConfigProblem> Validate()
    {
        var checks = new ConfigChecks()
            .AtLeast("vocab_size", VocabSize, 1)
            .AtLeast("max_position_embeddings", MaxPositionEmbeddings, 1)
            .AtLeast("d_model", DModel, 1)
            .AtLeast("encoder_layers", EncoderLayers, 1)
            .AtLeast("encoder_attention_heads", EncoderAttentionHeads, 1)
            .AtLeast("encoder_ffn_dim", EncoderFfnDim, 1)
            .AtLeast("decoder_layers", DecoderLayers, 1)
            .AtLeast("decoder_attention_heads", DecoderAttentionHeads, 1)
            .AtLeast("decoder_ffn_dim", DecoderFfnDim, 1)
            // A dropout of 1 zeroes every activation and the 1/(1 − p) rescaling divides by zero.
            .InRange("dropout", Dropout, 0, 1, maximumExcluded: true)
            .InRange("attention_dropout", AttentionDropout, 0, 1, maximumExcluded: true)
            .InRange("activation_dropout", ActivationDropout, 0, 1, maximumExcluded: true)
            .OneOf("activation_function", ActivationFunction, ["gelu", "relu"])
            .AtLeast("pad_token_id", PadTokenId, 0)
            .AtLeast("bos_token_id", BosTokenId, 0)
            .AtLeast("eos_token_id", EosTokenId, 0)
            .AtLeastOrNull("forced_eos_token_id", ForcedEosTokenId, 0)
            .AtLeastOrNull("decoder_start_token_id", DecoderStartTokenId, 0);
        // Each head gets d_model / heads dimensions; the division must be exact (and is skipped when heads < 1, reported above).
        if (DModel >= 1 && EncoderAttentionHeads >= 1 && DModel % EncoderAttentionHeads != 0)
            checks.Require(false, "d_model", $"must be divisible by encoder_attention_heads ({EncoderAttentionHeads}), got {DModel}");
        if (DModel >= 1 && DecoderAttentionHeads >= 1 && DModel % DecoderAttentionHeads != 0)
            checks.Require(false, "d_model", $"must be divisible by decoder_attention_heads ({DecoderAttentionHeads}), got {DModel}");
        return checks;
    }

    /// <summary>
    /// <c>mytran/config.json</c>: the VLP visual encoder and text decoder, and the SLT model with decoder type LD
    /// (3+3 layers, 8 heads, ReLU, dropout 0.1, untied LM head).
    /// </summary>
    public static MBartOptions Mytran(int vocabSize = 2454) => new()
    {
        VocabSize = vocabSize, EncoderLayers = 3, DecoderLayers = 3, EncoderAttentionHeads = 8, DecoderAttentionHeads = 8,
        ActivationFunction = "relu", Dropout = 0.1, AttentionDropout = 0.0, ScaleEmbedding = true, TieWordEmbeddings = false,
    };

    /// <summary><c>MBart_trimmed/config.json</c>: the VLP text encoder (12+12 layers, 16 heads, GELU, dropout 0.3, tied).</summary>
    public static MBartOptions MBartTrimmed(int vocabSize = 2454) => new()
    {
        VocabSize = vocabSize, Dropout = 0.3, AttentionDropout = 0.1, ScaleEmbedding = true, TieWordEmbeddings = true,
    };

    /// <summary><c>MBart_trimmed/LLMD_config.json</c>: SLT with decoder type LLMD (3 encoder, 12 decoder layers, dropout 0.5, untied).</summary>
    public static MBartOptions Llmd(int vocabSize = 2454) => new()
    {
        VocabSize = vocabSize, EncoderLayers = 3, EncoderAttentionHeads = 8, Dropout = 0.5, AttentionDropout = 0.1,
        ScaleEmbedding = true, TieWordEmbeddings = false,
    };
}
