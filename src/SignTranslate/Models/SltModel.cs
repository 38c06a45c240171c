using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SignTranslate.Models;

// The SLT model (the reference gloss_free_model) and its sign embedding (sign_emb), which nothing else uses.

// ---- SltModel --------------------------------------------------------------------------------------------------------

/// <summary>Outputs of the SLT forward.</summary>
/// <param name="Logits">[B,L,V] for decoder input shift_tokens_right(labels).</param>
/// <param name="FrameFeatures">Padded per-frame features [B,T,F] (SignCL's input).</param>
/// <param name="SignFeatures">TemporalConv output [B,T',H].</param>
public sealed record SltOutput(Tensor Logits, Tensor FrameFeatures, Tensor SignFeatures);

/// <summary>
/// The SLT finetuning model (reference <c>gloss_free_model</c>): <c>backbone</c> (frame encoder + TemporalConv) →
/// <c>sign_emb</c> (Linear + BN + ReLU) → <c>mbart</c> fed through inputs_embeds with the video mask; the decoder reads
/// shift_tokens_right(labels). Parameter names match the reference checkpoints.
/// </summary>
public sealed class SltModel : Module
{
    private readonly FeatureExtractor backbone;
    private readonly MBartForConditionalGeneration mbart;
    private readonly SignProjection sign_emb;
    private readonly double embedScale;
    private readonly bool maskedBatchNorm;

    public SltModel(ModelOptions options, string name = "slt") : base(name)
    {
        Options = options;
        backbone = new FeatureExtractor(options.Visual, options.Input, options.Pose);
        mbart = new MBartForConditionalGeneration(options.Mbart);
        sign_emb = new SignProjection(options.Visual.TemporalHiddenSize, options.Mbart.DModel);
        embedScale = options.ScaleSignEmbedding ? Math.Sqrt(options.Mbart.DModel) : 1.0;
        maskedBatchNorm = options.Visual.MaskPaddingInBatchNorm;
        RegisterComponents();
        backbone.FrameEncoderIfAny?.UseMemoryOptions(options.Memory);
        mbart.Model.Encoder.CheckpointLayers = mbart.Model.Decoder.CheckpointLayers = options.Memory.CheckpointTransformerLayers;
    }

    public ModelOptions Options { get; }
    public FeatureExtractor Backbone => backbone;
    public MBartForConditionalGeneration MBart => mbart;

    /// <summary>Visual side: frames [ΣT_i,3,H,W] + lengths [B] → encoder inputs_embeds [B,T',D] and the features. The
    /// lengths are only read on the host, so a host tensor spares the device a synchronisation.</summary>
    public (Tensor InputsEmbeds, VisualFeatures Visual) Embed(SignInputs inputs, Tensor frameLengths)
    {
        var visual = backbone.call(inputs, frameLengths);                                  // [B,T',H], [B,T,F]
        if (!maskedBatchNorm)
            return (sign_emb.Forward(visual.Features, null, 0) * embedScale, visual);
        var frameCounts = frameLengths.cpu().to(ScalarType.Int64).data<long>().ToArray();
        var mask = FeatureExtractor.OutputMask(frameCounts, visual.Features.device);
        return (sign_emb.Forward(visual.Features, mask, frameCounts.Sum(TemporalConv.OutputLength)) * embedScale, visual); // [B,T',D]
    }

    /// <summary>
    /// frames [ΣT_i,3,H,W], frameLengths [B], videoMask [B,T'] (1 = valid, see <see cref="FeatureExtractor.OutputMask"/>),
    /// labels [B,L] (target ids ending in &lt;/s&gt; and the language code), labelMask [B,L].
    /// </summary>
    public SltOutput Forward(Tensor frames, Tensor frameLengths, Tensor videoMask, Tensor labels, Tensor labelMask) =>
        Forward(SignInputs.Rgb(frames), frameLengths, videoMask, labels, labelMask);

    /// <inheritdoc cref="Forward(Tensor, Tensor, Tensor, Tensor, Tensor)"/>
    public SltOutput Forward(SignInputs inputs, Tensor frameLengths, Tensor videoMask, Tensor labels, Tensor labelMask)
    {
        var (embeds, visual) = Embed(inputs, frameLengths);
        var output = mbart.Forward(attentionMask: videoMask, decoderAttentionMask: labelMask, labels: labels, inputsEmbeds: embeds);
        return new SltOutput(output.Logits, visual.FrameFeatures, visual.Features);
    }
}

// ---- SignProjection --------------------------------------------------------------------------------------------------

/// <summary>
/// The SLT model's <c>sign_emb</c> (the reference <c>V_encoder</c>): Linear (<c>src_emb</c>) then BatchNorm1d over channels
/// and ReLU (<c>bn_ac.0</c>, <c>bn_ac.1</c>). [B,T',C] → [B,T',D]. Fresh at finetuning, never pretrained.
/// </summary>
public sealed class SignProjection : Module
{
    private readonly Linear src_emb;
    private readonly ModuleList<Module> bn_ac;   // [MaskedBatchNorm1d, ReLU]: only the reference names matter

    public SignProjection(int featureSize, int embedSize, string name = "sign_emb") : base(name)
    {
        src_emb = Linear(featureSize, embedSize);
        bn_ac = ModuleList<Module>(new MaskedBatchNorm1d(embedSize), ReLU());
        // The reference re-initialises the Linear weight with Xavier-uniform, gain calculate_gain('relu') = sqrt(2).
        using (no_grad())
            init.xavier_uniform_(src_emb.weight, Math.Sqrt(2));
        RegisterComponents();
    }

    /// <summary>features [B,T',C], mask [B,T'] (1 = real) or null → [B,T',D]; the mask, with its count of real steps
    /// (see <see cref="MaskedBatchNorm1d.Forward"/>), restricts training BN statistics.</summary>
    public Tensor Forward(Tensor features, Tensor? mask, long realSteps)
    {
        var norm = (MaskedBatchNorm1d)bn_ac[0];
        var x = norm.Forward(src_emb.call(features).permute(0, 2, 1), mask?.to(ScalarType.Bool), realSteps);   // [B,D,T']
        return functional.relu(x).permute(0, 2, 1);
    }
}
