using SignTranslate.Config;
using SignTranslate.Models.Pretrained;

namespace SignTranslate.Models;

/// <summary>
/// The <c>model</c> section: the networks of both stages. Pretraining builds <see cref="VlpModel"/> from
/// <see cref="Visual"/>, <see cref="VisualEncoder"/> (which also shapes the masked-text decoder) and
/// <see cref="TextEncoder"/>; finetuning builds <see cref="SltModel"/> from <see cref="Visual"/> and
/// <see cref="Mbart"/>. Every <c>vocab_size</c> is replaced by the tokenizer's vocabulary size when a model is built.
/// </summary>
public sealed record ModelOptions : IValidatableConfig
{
    /// <summary>Frame encoder and TemporalConv (shared by both stages; finetuning starts from the pretrained ones).</summary>
    public VisualBackboneOptions Visual { get; init; } = VisualBackboneOptions.Default;

    /// <summary>The SLT translation mBART (encoder over sign features, text decoder). Default: mytran, decoder type LD (3+3 layers).</summary>
    public MBartOptions Mbart { get; init; } = MBartOptions.Mytran();

    /// <summary>VLP visual transformer encoder (<c>model_images.trans_encoder</c>) and masked-text decoder. Default: mytran (3 layers, ReLU).</summary>
    public MBartOptions VisualEncoder { get; init; } = MBartOptions.Mytran();

    /// <summary>VLP text encoder (<c>model_txt.model_txt</c>). Default: MBart_trimmed (12 layers, GELU, tied).</summary>
    public MBartOptions TextEncoder { get; init; } = MBartOptions.MBartTrimmed();

    /// <summary>Where the VLP text encoder's sentence vector is read. Default <c>last_non_pad</c>; <c>argmax_id</c> is the
    /// reference's <c>argmax(input_ids)</c> (docs/reference.md#s11.23).</summary>
    public TextPooling TextPooling { get; init; } = TextPooling.LastNonPad;

    /// <summary>Initial learned logit scale s of the VLP contrastive loss (exp(s) multiplies cosine similarities). Default ln(1/0.07) = 2.6593.</summary>
    public double InitialLogitScale { get; init; } = Math.Log(1 / 0.07);

    /// <summary>Multiply the SLT sign embeddings by sqrt(d_model). Default false (the reference's <c>scale_embedding: False</c>).</summary>
    public bool ScaleSignEmbedding { get; init; }

    /// <summary>
    /// A model folder written by <c>slt import mbart</c> (trimmed mBART-cc25) that initialises the text side as the
    /// reference does: the VLP text encoder, and the SLT decoder's token and position tables; relative to the config
    /// file. Empty (default): random init.
    /// </summary>
    public string MbartWeights { get; init; } = "";

    /// <summary>How <c>slt finetune --init</c> maps a pretraining checkpoint into the translation model (docs/reference.md#s4.7).</summary>
    public VlpTransferOptions Init { get; init; } = new();

    /// <summary>The finetuning model with the vocabulary of the tokenizer in use.</summary>
    public SltModelOptions ForSlt(int vocabSize) => new()
    {
        Visual = Visual,
        MBart = Mbart with { VocabSize = vocabSize },
        ScaleSignEmbedding = ScaleSignEmbedding,
    };

    /// <summary>The pretraining model with the vocabulary of the tokenizer in use.</summary>
    public VlpModelOptions ForVlp(int vocabSize) => new()
    {
        Visual = Visual,
        VisualEncoder = VisualEncoder with { VocabSize = vocabSize },
        TextEncoder = TextEncoder with { VocabSize = vocabSize },
        TextPooling = TextPooling,
        InitialLogitScale = InitialLogitScale,
    };

    public IEnumerable<ConfigProblem> Validate()
    {
        if (Visual.FrameEncoder == FrameEncoderKind.Resnet18 && Visual.FrameFeatureSize != ResNet18.FeatureSize)
            yield return new ConfigProblem("visual.frame_feature_size", $"ResNet-18 produces {ResNet18.FeatureSize}-d features, got {Visual.FrameFeatureSize}");
        if (Visual.TemporalHiddenSize <= 0 || Visual.FrameFeatureSize <= 0)
            yield return new ConfigProblem("visual", "frame_feature_size and temporal_hidden_size must be positive");
        foreach (var (key, mbart) in new[] { ("mbart", Mbart), ("visual_encoder", VisualEncoder), ("text_encoder", TextEncoder) })
        {
            string? problem = null;
            try { (mbart with { VocabSize = Math.Max(1, mbart.VocabSize) }).Validate(); }
            catch (ArgumentException e) { problem = e.Message; }
            if (problem is not null) yield return new ConfigProblem(key, problem);
        }
        if (Visual.TemporalHiddenSize != VisualEncoder.DModel || VisualEncoder.DModel != TextEncoder.DModel)
            yield return new ConfigProblem("visual.temporal_hidden_size",
                $"the VLP model needs temporal_hidden_size = visual_encoder.d_model = text_encoder.d_model, got {Visual.TemporalHiddenSize}, {VisualEncoder.DModel}, {TextEncoder.DModel}");
        if (VisualEncoder.DModel != Mbart.DModel)
            yield return new ConfigProblem("mbart.d_model",
                $"finetuning loads the pretrained visual encoder into the mBART encoder, so mbart.d_model must equal visual_encoder.d_model ({VisualEncoder.DModel}), got {Mbart.DModel}");
    }
}
