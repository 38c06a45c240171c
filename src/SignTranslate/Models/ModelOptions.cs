using SignTranslate.Config;

namespace SignTranslate.Models;

/// <summary>
/// The <c>model</c> section, and the one options record of both models: pretraining builds <see cref="VlpModel"/> from
/// <see cref="Visual"/>, <see cref="VisualEncoder"/> (which also shapes the masked-text decoder) and
/// <see cref="TextEncoder"/>; finetuning builds <see cref="SltModel"/> from <see cref="Visual"/> and
/// <see cref="Mbart"/>. Every <c>vocab_size</c> is replaced by the tokenizer's vocabulary size when a model is built.
/// </summary>
public sealed record ModelOptions : IValidatableConfig
{
    /// <summary>What the model reads per frame: <c>rgb</c> (default, the reference), <c>pose</c> (keypoints) or <c>rgb+pose</c> (docs/pose.md#model).</summary>
    public ModelInput Input { get; init; } = ModelInput.Rgb;

    /// <summary>The pose encoder and, for <c>rgb+pose</c>, the fusion; unused with <c>input: rgb</c>.</summary>
    public PoseEncoderOptions Pose { get; init; } = new();

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

    /// <summary>Initial learned logit scale s of the VLP contrastive loss (exp(s) multiplies cosine similarities); finite and at most 88, so that exp(s) fits in float32. Default ln(1/0.07) = 2.6593.</summary>
    public double InitialLogitScale { get; init; } = Math.Log(1 / 0.07);

    /// <summary>Multiply the SLT sign embeddings by sqrt(d_model). Default false (the reference's <c>scale_embedding: False</c>).</summary>
    public bool ScaleSignEmbedding { get; init; }

    /// <summary>
    /// A model folder written by <c>slt import mbart</c> (trimmed mBART-cc25) that initialises the text side as the
    /// reference does: the VLP text encoder, and the SLT decoder's token and position tables; relative to the config
    /// file. Empty (default): random init.
    /// </summary>
    public string MbartWeights { get; init; } = "";

    /// <summary>Activation checkpointing and frame chunking, which trade time for memory; all off by default.</summary>
    public MemoryOptions Memory { get; init; } = new();

    /// <summary>How <c>slt finetune --init</c> maps a pretraining checkpoint into the translation model (docs/reference.md#s4.7).</summary>
    public VlpTransferOptions Init { get; init; } = new();

    /// <summary>These options with every mBART sized to the vocabulary of the tokenizer in use.</summary>
    /// <summary>The model reads RGB frames.</summary>
    public bool ReadsFrames => Input is ModelInput.Rgb or ModelInput.RgbPose;

    /// <summary>The model reads keypoints.</summary>
    public bool ReadsKeypoints => Input is ModelInput.Pose or ModelInput.RgbPose;

    public ModelOptions WithVocabulary(int vocabSize) => this with
    {
        Mbart = Mbart with { VocabSize = vocabSize },
        VisualEncoder = VisualEncoder with { VocabSize = vocabSize },
        TextEncoder = TextEncoder with { VocabSize = vocabSize },
    };

    /// <summary>The Phoenix-2014T models: SLT with the 3+3-layer mytran mBART (115,412,544 parameters), VLP with
    /// MBart_trimmed's text encoder (216,175,169 parameters without the text decoder). These are the defaults.</summary>
    public static ModelOptions Phoenix { get; } = new();

    /// <summary>The SLT model with decoder type LLMD (3 encoder, 12 decoder layers; 266,582,592 parameters for V 2454).</summary>
    public static ModelOptions PhoenixLlmd { get; } = new() { Mbart = MBartOptions.Llmd() };

    /// <summary>
    /// Largest initial logit scale: exp(s) is taken in float32, whose largest value is about e^88.7, and the scale is
    /// never clamped (see <see cref="VlpModel"/>).
    /// </summary>
    private const double MaxInitialLogitScale = 88;

    public IEnumerable<ConfigProblem> Validate() => new ConfigChecks()
        .Defined("input", Input)
        .Section("pose", Pose)
        .Section("visual", Visual)
        .Require(Input != ModelInput.Pose || Visual.BackboneWeights.Length == 0, "visual.backbone_weights",
            $"a pose-only model (input: pose) has no frame CNN to load '{Visual.BackboneWeights}' into; leave it empty or use input: rgb+pose")
        // vocab_size is not checked here: every model is built with the tokenizer's vocabulary size instead.
        .Section("mbart", Mbart with { VocabSize = Math.Max(1, Mbart.VocabSize) })
        .Section("visual_encoder", VisualEncoder with { VocabSize = Math.Max(1, VisualEncoder.VocabSize) })
        .Section("text_encoder", TextEncoder with { VocabSize = Math.Max(1, TextEncoder.VocabSize) })
        .Defined("text_pooling", TextPooling)
        .Require(double.IsFinite(InitialLogitScale) && InitialLogitScale <= MaxInitialLogitScale, "initial_logit_scale",
            $"must be a finite number <= {ConfigChecks.Show(MaxInitialLogitScale)} (exp of it must fit in float32), got {ConfigChecks.Show(InitialLogitScale)}")
        .Section("init", Init)
        .Section("memory", Memory)
        .Require(Visual.TemporalHiddenSize == VisualEncoder.DModel && VisualEncoder.DModel == TextEncoder.DModel, "visual.temporal_hidden_size",
            $"the VLP model needs temporal_hidden_size = visual_encoder.d_model = text_encoder.d_model, got {Visual.TemporalHiddenSize}, {VisualEncoder.DModel}, {TextEncoder.DModel}")
        .Require(VisualEncoder.DModel == Mbart.DModel, "mbart.d_model",
            $"finetuning loads the pretrained visual encoder into the mBART encoder, so mbart.d_model must equal visual_encoder.d_model ({VisualEncoder.DModel}), got {Mbart.DModel}");
}
