using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SignTranslate.Models;

/// <summary>Outputs of a full sequence-to-sequence forward.</summary>
/// <param name="Logits">[B,L,V].</param>
/// <param name="EncoderLastHiddenState">[B,S,D].</param>
/// <param name="EncoderHiddenStates">Per-layer encoder states when requested.</param>
/// <param name="DecoderHiddenStates">Per-layer decoder states when requested.</param>
public sealed record Seq2SeqLMOutput(Tensor Logits, Tensor EncoderLastHiddenState,
    IReadOnlyList<Tensor>? EncoderHiddenStates, IReadOnlyList<Tensor>? DecoderHiddenStates);

/// <summary>
/// The LM head: logits = h · Wᵀ with W [V,D] and no bias. Tied heads register the token table's own
/// <see cref="TorchSharp.Modules.Parameter"/> object, so the optimizer and the parameter count see it once.
/// </summary>
public sealed class MBartLmHead : Module<Tensor, Tensor>
{
    private readonly Parameter weight;

    /// <summary>An untied head with its own matrix, initialised like <c>nn.Linear</c>.</summary>
    public MBartLmHead(int dModel, int vocabSize) : base("lm_head")
    {
        weight = new Parameter(empty(vocabSize, dModel));
        init.kaiming_uniform_(weight, Math.Sqrt(5));
        RegisterComponents();
    }

    /// <summary>A head tied to <paramref name="tokenTable"/> [V,D].</summary>
    public MBartLmHead(Parameter tokenTable) : base("lm_head")
    {
        weight = tokenTable;
        RegisterComponents();
    }

    // hidden [B,L,D] -> [B,L,V]
    public override Tensor forward(Tensor hidden) => functional.linear(hidden, weight);
}

/// <summary>HF <c>MBartModel</c>: the shared token table (<c>shared</c>), <c>encoder</c> and <c>decoder</c>.</summary>
public sealed class MBartModel : Module
{
    private readonly MBartEmbedding shared;
    private readonly MBartEncoder encoder;
    private readonly MBartDecoder decoder;

    public MBartModel(MBartOptions options, string name = "model") : base(name)
    {
        options.ThrowIfInvalid();
        shared = new MBartEmbedding(options.VocabSize, options.DModel, options.PadTokenId);
        encoder = new MBartEncoder(options, shared);
        decoder = new MBartDecoder(options, shared);
        RegisterComponents();
    }

    public MBartEmbedding Shared => shared;
    public MBartEncoder Encoder => encoder;
    public MBartDecoder Decoder => decoder;
}

/// <summary>
/// HF <c>MBartForConditionalGeneration</c>: <c>model</c> plus <c>lm_head</c> (Linear D→V without bias, tied to the
/// token table or not) plus the <c>final_logits_bias</c> buffer [1,V]. Parameter names are HF's.
/// </summary>
public sealed class MBartForConditionalGeneration : Module
{
    private readonly MBartModel model;
    private readonly MBartLmHead lm_head;
    private readonly Tensor final_logits_bias;

    public MBartForConditionalGeneration(MBartOptions options, string name = "mbart") : base(name)
    {
        Options = options;
        model = new MBartModel(options);
        lm_head = options.TieWordEmbeddings
            ? new MBartLmHead(model.Shared.Weight)
            : new MBartLmHead(options.DModel, options.VocabSize);
        final_logits_bias = zeros(1, options.VocabSize);
        register_buffer("final_logits_bias", final_logits_bias);
        RegisterComponents();
    }

    public MBartOptions Options { get; }
    public MBartModel Model => model;
    public MBartEncoder Encoder => model.Encoder;
    public MBartDecoder Decoder => model.Decoder;

    /// <summary>
    /// Full forward. Encoder input: <paramref name="inputIds"/> [B,S] or <paramref name="inputsEmbeds"/> [B,S,D], with
    /// <paramref name="attentionMask"/> [B,S]. Decoder input: <paramref name="decoderInputIds"/> [B,L], or, when null,
    /// <c>shift_tokens_right(labels)</c> as HF does for <paramref name="labels"/> [B,L]. Returns logits [B,L,V].
    /// The loss is left to the caller (GFSLT ignores HF's internal loss).
    /// </summary>
    public Seq2SeqLMOutput Forward(Tensor? inputIds = null, Tensor? attentionMask = null, Tensor? decoderInputIds = null,
        Tensor? decoderAttentionMask = null, Tensor? labels = null, Tensor? inputsEmbeds = null, bool outputHiddenStates = false)
    {
        if (decoderInputIds is null)
        {
            if (labels is null)
                throw new ArgumentException("Pass decoderInputIds or labels.");
            decoderInputIds = ShiftTokensRight(labels, Options.PadTokenId);
        }
        var encoded = model.Encoder.Forward(inputIds, attentionMask, inputsEmbeds, outputHiddenStates);
        var decoded = model.Decoder.Forward(decoderInputIds, decoderAttentionMask, encoded.LastHiddenState, attentionMask,
            null, outputHiddenStates);
        return new Seq2SeqLMOutput(Logits(decoded.LastHiddenState), encoded.LastHiddenState, encoded.HiddenStates, decoded.HiddenStates);
    }

    /// <summary>
    /// One decoder pass for generation: decoderIds [N,L] (only positions not yet in <paramref name="cache"/>),
    /// encoderHidden [N,S,D], encoderMask [N,S] → logits [N,L,V].
    /// </summary>
    public Tensor DecodeLogits(Tensor decoderIds, Tensor encoderHidden, Tensor? encoderMask, MBartDecoderCache? cache) =>
        Logits(model.Decoder.Forward(decoderIds, null, encoderHidden, encoderMask, cache).LastHiddenState);

    /// <summary>decoder hidden [B,L,D] → logits [B,L,V] = lm_head(h) + final_logits_bias.</summary>
    public Tensor Logits(Tensor decoderHidden) => lm_head.call(decoderHidden) + final_logits_bias;

    /// <summary>
    /// mBART's <c>shift_tokens_right</c>: the last non-pad token of each row (the language code) moves to position 0 and
    /// the rest shifts right by one. −100 entries count as padding. labels [B,L] → [B,L].
    /// </summary>
    public static Tensor ShiftTokensRight(Tensor labels, long padTokenId)
    {
        using var scope = NewDisposeScope();
        var tokens = labels.masked_fill(labels.eq(-100), padTokenId);
        var lastIndex = (tokens.ne(padTokenId).sum(1) - 1).unsqueeze(-1);               // [B,1]
        var start = tokens.gather(1, lastIndex);                                         // [B,1]
        var shifted = cat(new[] { start, tokens[.., ..^1] }, 1);
        return shifted.MoveToOuterDisposeScope();
    }
}
