using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SignTranslate.Models;

/// <summary>Outputs of the VLP forward.</summary>
/// <param name="LogitsPerImage">exp(s)·v̂ t̂ᵀ [B,B].</param>
/// <param name="LogitsPerText">Its transpose [B,B].</param>
/// <param name="FrameFeatures">Padded per-frame features [B,T,F] (SignCL's input).</param>
/// <param name="TextHidden">Text encoder output [B,L,D] of the unmasked text.</param>
public sealed record VlpOutput(Tensor LogitsPerImage, Tensor LogitsPerText, Tensor FrameFeatures, Tensor TextHidden);

/// <summary>
/// Image side of VLP (reference <c>ImageCLIP</c>): backbone (<c>model</c>), a learned CLS token prepended to the TemporalConv
/// output, the mytran encoder (<c>trans_encoder</c>) on those inputs_embeds, and <c>lm_head</c> (Linear D→D, no bias) on the
/// CLS output.
/// </summary>
public sealed class ImageClip : Module
{
    private readonly FeatureExtractor model;
    private readonly MBartEncoder trans_encoder;
    private readonly Parameter cls_token;
    private readonly Linear lm_head;

    public ImageClip(VisualBackboneOptions visual, MBartOptions encoder, string name = "model_images")
        : this(visual, encoder, ModelInput.Rgb, new PoseEncoderOptions(), name) { }

    public ImageClip(VisualBackboneOptions visual, MBartOptions encoder, ModelInput input, PoseEncoderOptions pose, string name = "model_images") : base(name)
    {
        model = new FeatureExtractor(visual, input, pose);
        trans_encoder = new MBartEncoder(encoder);
        cls_token = new Parameter(randn(1, 1, encoder.DModel));
        lm_head = Linear(encoder.DModel, encoder.DModel, hasBias: false);
        RegisterComponents();
    }

    public FeatureExtractor Backbone => model;
    public MBartEncoder Encoder => trans_encoder;

    /// <summary>frames [ΣT_i,3,H,W] and/or keypoints, lengths [B], videoMask [B,T'] → video vector [B,D] and the frame features [B,T,F].</summary>
    public (Tensor Embedding, Tensor FrameFeatures) Forward(SignInputs inputs, Tensor frameLengths, Tensor videoMask)
    {
        var visual = model.call(inputs, frameLengths);                                     // [B,T',D]
        var batch = visual.Features.shape[0];
        var withCls = cat(new[] { cls_token.expand(batch, -1, -1), visual.Features }, 1);  // [B,T'+1,D]
        var mask = functional.pad(videoMask, new long[] { 1, 0 }, value: 1);              // [B,T'+1]
        var hidden = trans_encoder.Forward(null, mask, withCls).LastHiddenState;           // [B,T'+1,D]
        return (lm_head.call(hidden[.., 0, ..]), visual.FrameFeatures);                    // [B,D]
    }
}

/// <summary>Text side of VLP (reference <c>TextCLIP</c>): the MBart_trimmed encoder (<c>model_txt</c>) and an identity head.</summary>
public sealed class TextClip : Module
{
    private readonly MBartEncoder model_txt;
    private readonly TextPooling pooling;
    private readonly long padTokenId;

    public TextClip(MBartOptions encoder, TextPooling pooling, string name = "model_txt") : base(name)
    {
        model_txt = new MBartEncoder(encoder);
        this.pooling = pooling;
        padTokenId = encoder.PadTokenId;
        RegisterComponents();
    }

    public MBartEncoder Encoder => model_txt;

    /// <summary>ids [B,L], mask [B,L] → sentence vector [B,D] and hidden states [B,L,D].</summary>
    public (Tensor Embedding, Tensor Hidden) Forward(Tensor ids, Tensor mask)
    {
        var hidden = model_txt.Forward(ids, mask).LastHiddenState;                       // [B,L,D]
        var position = pooling == TextPooling.ArgmaxId
            ? ids.argmax(-1)
            : ids.ne(padTokenId).sum(-1) - 1;                                              // [B]
        var rows = arange(hidden.shape[0], device: hidden.device);
        return (hidden[rows, position], hidden);
    }
}

/// <summary>
/// The VLP pretraining model (reference <c>SLRCLIP</c>): <c>model_images</c>, <c>model_txt</c> and the learned scalar
/// <c>logit_scale</c> (exponentiated, never clamped). The masked-text decoder is the separate <see cref="VlpTextDecoder"/>.
/// </summary>
public sealed class VlpModel : Module
{
    private readonly TextClip model_txt;
    private readonly ImageClip model_images;
    private readonly Parameter logit_scale;

    public VlpModel(ModelOptions options, string name = "vlp") : base(name)
    {
        Options = options;
        if (options.Visual.TemporalHiddenSize != options.VisualEncoder.DModel || options.VisualEncoder.DModel != options.TextEncoder.DModel)
            throw new ArgumentException("TemporalConv width, visual encoder d_model and text encoder d_model must be equal.");
        model_txt = new TextClip(options.TextEncoder, options.TextPooling);
        model_images = new ImageClip(options.Visual, options.VisualEncoder, options.Input, options.Pose);
        logit_scale = new Parameter(tensor(options.InitialLogitScale, ScalarType.Float32));
        RegisterComponents();
        model_images.Backbone.FrameEncoderIfAny?.UseMemoryOptions(options.Memory);
        model_images.Encoder.CheckpointLayers = model_txt.Encoder.CheckpointLayers = options.Memory.CheckpointTransformerLayers;
    }

    public ModelOptions Options { get; }
    public ImageClip Image => model_images;
    public TextClip Text => model_txt;
    public Parameter LogitScale => logit_scale;

    /// <summary>
    /// frames [ΣT_i,3,H,W], frameLengths [B], videoMask [B,T'], text ids [B,L] (unmasked) and textMask [B,L] →
    /// scaled cosine-similarity logits both ways [B,B].
    /// </summary>
    public VlpOutput Forward(Tensor frames, Tensor frameLengths, Tensor videoMask, Tensor textIds, Tensor textMask) =>
        Forward(SignInputs.Rgb(frames), frameLengths, videoMask, textIds, textMask);

    /// <inheritdoc cref="Forward(Tensor, Tensor, Tensor, Tensor, Tensor)"/>
    public VlpOutput Forward(SignInputs inputs, Tensor frameLengths, Tensor videoMask, Tensor textIds, Tensor textMask)
    {
        var (image, frameFeatures) = model_images.Forward(inputs, frameLengths, videoMask);   // [B,D]
        var (text, textHidden) = model_txt.Forward(textIds, textMask);                        // [B,D]
        image = image / image.norm(1, keepdim: true);
        text = text / text.norm(1, keepdim: true);
        var perImage = logit_scale.exp() * image.matmul(text.t());                           // [B,B]
        return new VlpOutput(perImage, perImage.t(), frameFeatures, textHidden);
    }
}

/// <summary>
/// The VLP masked-text decoder (reference <c>Text_Decoder</c>): a mytran decoder (<c>text_decoder</c>), its own untied
/// <c>lm_head</c> and a <c>final_logits_bias</c> buffer. It reads shift_tokens_right(ids) and cross-attends to the text
/// encoder's states of the masked text (computed without gradient by the caller).
/// </summary>
public sealed class VlpTextDecoder : Module
{
    private readonly MBartDecoder text_decoder;
    private readonly Linear lm_head;
    private readonly Tensor final_logits_bias;
    private readonly long padTokenId;

    /// <param name="options">Sizes (the VLP visual encoder's).</param>
    /// <param name="checkpointLayers">Recompute each decoder layer in backward (<see cref="MemoryOptions.CheckpointTransformerLayers"/>).</param>
    /// <param name="name">Module name.</param>
    public VlpTextDecoder(MBartOptions options, bool checkpointLayers = false, string name = "text_decoder") : base(name)
    {
        text_decoder = new MBartDecoder(options) { CheckpointLayers = checkpointLayers };
        lm_head = Linear(options.DModel, options.VocabSize, hasBias: false);
        final_logits_bias = zeros(1, options.VocabSize);
        register_buffer("final_logits_bias", final_logits_bias);
        padTokenId = options.PadTokenId;
        RegisterComponents();
    }

    /// <summary>
    /// ids [B,L] and mask [B,L] of the unmasked target; maskedHidden [B,L',D] and maskedMask [B,L'] of the masked text →
    /// logits [B,L,V] predicting ids.
    /// </summary>
    public Tensor Forward(Tensor ids, Tensor mask, Tensor maskedHidden, Tensor maskedMask)
    {
        var decoderInput = MBartForConditionalGeneration.ShiftTokensRight(ids, padTokenId);
        var hidden = text_decoder.Forward(decoderInput, mask, maskedHidden, maskedMask).LastHiddenState;
        return lm_head.call(hidden) + final_logits_bias;
    }
}
