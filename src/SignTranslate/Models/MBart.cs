using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SignTranslate.Models;

// HF's modeling_mbart.py in one file, top-down: the conditional-generation model, the encoder and decoder, their
// layers, attention, the token and position tables and the masks. Field names are HF's, so that state dicts load by
// name; shapes are in the comments. Options: MBartOptions.cs.

// ---- MBartForConditionalGeneration ------------------------------------------------------------------------------

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

// ---- MBartEncoder -----------------------------------------------------------------------------------------------

/// <summary>Encoder output: the final hidden state and, when asked for, the per-layer states (layers + 1 entries).</summary>
public sealed record EncoderOutput(Tensor LastHiddenState, IReadOnlyList<Tensor>? HiddenStates);

/// <summary>
/// HF <c>MBartEncoder</c>: (token embedding × sqrt(D) for ids | inputs_embeds as given) + learned positions (offset 2)
/// → layernorm_embedding → dropout → N pre-LN layers → layer_norm.
/// </summary>
public sealed class MBartEncoder : Module
{
    private const int PositionOffset = 2;

    private readonly MBartEmbedding embed_tokens;
    private readonly MBartEmbedding embed_positions;
    private readonly ModuleList<MBartEncoderLayer> layers;
    private readonly LayerNorm layernorm_embedding;
    private readonly LayerNorm layer_norm;
    private readonly double embedScale;
    private readonly double dropout;
    private readonly bool layerDropout;

    /// <param name="options">Sizes.</param>
    /// <param name="sharedTokens">The token table shared with the decoder (HF's <c>model.shared</c>), or null for an own table.</param>
    /// <param name="name">Module name.</param>
    public MBartEncoder(MBartOptions options, MBartEmbedding? sharedTokens = null, string name = "encoder") : base(name)
    {
        var d = options.DModel;
        embed_tokens = sharedTokens ?? new MBartEmbedding(options.VocabSize, d, options.PadTokenId);
        embed_positions = new MBartEmbedding(options.MaxPositionEmbeddings + PositionOffset, d);
        layers = new ModuleList<MBartEncoderLayer>(Enumerable.Range(0, options.EncoderLayers).Select(_ => new MBartEncoderLayer(options)).ToArray());
        layernorm_embedding = LayerNorm(d, eps: 1e-5);
        layer_norm = LayerNorm(d, eps: 1e-5);
        embedScale = options.ScaleEmbedding ? Math.Sqrt(d) : 1.0;
        dropout = options.Dropout;
        layerDropout = MBartDropout.InLayers(options);
        RegisterComponents();
    }

    public MBartEmbedding TokenEmbedding => embed_tokens;

    /// <summary>Recompute each layer in backward instead of keeping its activations (<see cref="MemoryOptions.CheckpointTransformerLayers"/>).</summary>
    public bool CheckpointLayers { get; set; }

    /// <summary>
    /// Exactly one of <paramref name="inputIds"/> [B,S] and <paramref name="inputsEmbeds"/> [B,S,D]; attentionMask [B,S]
    /// (1 = real, optional). Returns last hidden state [B,S,D].
    /// </summary>
    public EncoderOutput Forward(Tensor? inputIds, Tensor? attentionMask, Tensor? inputsEmbeds = null, bool outputHiddenStates = false)
    {
        if ((inputIds is null) == (inputsEmbeds is null))
            throw new ArgumentException("Pass exactly one of inputIds and inputsEmbeds.");
        var embeds = inputsEmbeds ?? embed_tokens.call(inputIds!) * embedScale;   // [B,S,D]; visual embeds are not scaled
        var length = embeds.shape[1];
        var positions = embed_positions.call(arange(length, device: embeds.device) + PositionOffset);  // [S,D]
        var hidden = layernorm_embedding.call(embeds + positions);
        hidden = functional.dropout(hidden, dropout, training);

        var mask = attentionMask is null ? null : MBartMasks.Padding(attentionMask, hidden.dtype);  // [B,1,1,S]
        var states = outputHiddenStates ? new List<Tensor>() : null;
        foreach (var layer in layers)
        {
            states?.Add(hidden);
            hidden = CheckpointLayers && training
                ? ActivationCheckpoint.Run(layer, inputs => layer.Forward(inputs[0], mask), layerDropout, hidden)
                : layer.Forward(hidden, mask);
        }
        hidden = layer_norm.call(hidden);
        states?.Add(hidden);
        return new EncoderOutput(hidden, states);
    }
}

// ---- MBartDecoder -----------------------------------------------------------------------------------------------

/// <summary>Decoder output: final hidden state (input of the LM head) and optional per-layer states.</summary>
public sealed record DecoderOutput(Tensor LastHiddenState, IReadOnlyList<Tensor>? HiddenStates);

/// <summary>
/// Keys and values of every decoder layer for incremental decoding. Self-attention entries grow by one position per
/// step; cross-attention entries are computed at the first step and reused.
/// </summary>
public sealed class MBartDecoderCache : IDisposable
{
    public MBartDecoderCache(int layers) =>
        Layers = Enumerable.Range(0, layers).Select(_ => new DecoderLayerCache()).ToArray();

    public IReadOnlyList<DecoderLayerCache> Layers { get; }

    /// <summary>Number of decoder positions already cached.</summary>
    public long PastLength => Layers.Count == 0 || Layers[0].SelfAttention.Key is null ? 0 : Layers[0].SelfAttention.Key!.shape[2];

    /// <summary>Keeps rows <paramref name="rows"/> (int64 [N]) of every cached tensor, e.g. after a beam-search step.</summary>
    public void Reorder(Tensor rows)
    {
        foreach (var layer in Layers)
        {
            layer.SelfAttention.Reorder(rows);
            layer.CrossAttention.Reorder(rows);
        }
    }

    /// <summary>Releases every cached tensor.</summary>
    public void Dispose()
    {
        foreach (var layer in Layers)
            layer.Dispose();
    }
}

/// <summary>
/// HF <c>MBartDecoder</c>: token embedding × sqrt(D) + learned positions (offset 2, shifted by the cached length) →
/// layernorm_embedding → dropout → N pre-LN layers (causal self-attention, cross-attention, FFN) → layer_norm.
/// </summary>
public sealed class MBartDecoder : Module
{
    private const int PositionOffset = 2;

    private readonly MBartEmbedding embed_tokens;
    private readonly MBartEmbedding embed_positions;
    private readonly ModuleList<MBartDecoderLayer> layers;
    private readonly LayerNorm layernorm_embedding;
    private readonly LayerNorm layer_norm;
    private readonly double embedScale;
    private readonly double dropout;
    private readonly bool layerDropout;

    public MBartDecoder(MBartOptions options, MBartEmbedding? sharedTokens = null, string name = "decoder") : base(name)
    {
        var d = options.DModel;
        embed_tokens = sharedTokens ?? new MBartEmbedding(options.VocabSize, d, options.PadTokenId);
        embed_positions = new MBartEmbedding(options.MaxPositionEmbeddings + PositionOffset, d);
        layers = new ModuleList<MBartDecoderLayer>(Enumerable.Range(0, options.DecoderLayers).Select(_ => new MBartDecoderLayer(options)).ToArray());
        layernorm_embedding = LayerNorm(d, eps: 1e-5);
        layer_norm = LayerNorm(d, eps: 1e-5);
        embedScale = options.ScaleEmbedding ? Math.Sqrt(d) : 1.0;
        dropout = options.Dropout;
        layerDropout = MBartDropout.InLayers(options);
        LayerCount = options.DecoderLayers;
        RegisterComponents();
    }

    public int LayerCount { get; }

    /// <summary>Recompute each layer in backward instead of keeping its activations (<see cref="MemoryOptions.CheckpointTransformerLayers"/>).</summary>
    public bool CheckpointLayers { get; set; }

    public MBartEmbedding TokenEmbedding => embed_tokens;

    public MBartDecoderCache NewCache() => new(LayerCount);

    /// <summary>
    /// inputIds [B,L] (only the new positions when a cache holds the earlier ones); attentionMask [B,past+L] (optional);
    /// encoderHidden [B,S,D]; encoderMask [B,S] (optional). Returns [B,L,D].
    /// </summary>
    /// <paramref name="crossAttentions"/>, when given, receives each layer's cross-attention probabilities [B,H,L,S]
    /// (what `slt serve` shows); the computation is the same either way.
    public DecoderOutput Forward(Tensor inputIds, Tensor? attentionMask, Tensor encoderHidden, Tensor? encoderMask,
        MBartDecoderCache? cache = null, bool outputHiddenStates = false, List<Tensor>? crossAttentions = null)
    {
        var length = inputIds.shape[1];
        var past = cache?.PastLength ?? 0;
        var embeds = embed_tokens.call(inputIds) * embedScale;                                        // [B,L,D]
        var positions = embed_positions.call(arange(past, past + length, device: embeds.device) + PositionOffset);  // [L,D]
        var hidden = layernorm_embedding.call(embeds + positions);
        hidden = functional.dropout(hidden, dropout, training);

        var dtype = hidden.dtype;
        Tensor? selfMask = length > 1 ? MBartMasks.Causal(length, past, dtype, hidden.device) : null;  // [1,1,L,past+L]
        if (attentionMask is not null)
        {
            var padding = MBartMasks.Padding(attentionMask, dtype);                                   // [B,1,1,past+L]
            selfMask = selfMask is null ? padding : padding + selfMask;
        }
        var crossMask = encoderMask is null ? null : MBartMasks.Padding(encoderMask, dtype);          // [B,1,1,S]

        var states = outputHiddenStates ? new List<Tensor>() : null;
        for (var i = 0; i < layers.Count; i++)
        {
            states?.Add(hidden);
            var layer = layers[i];
            hidden = CheckpointLayers && training && cache is null
                ? ActivationCheckpoint.Run(layer, inputs => layer.Forward(inputs[0], selfMask, inputs[1], crossMask, null), layerDropout, hidden, encoderHidden)
                : layer.Forward(hidden, selfMask, encoderHidden, crossMask, cache?.Layers[i], crossAttentions);
        }
        hidden = layer_norm.call(hidden);
        states?.Add(hidden);
        return new DecoderOutput(hidden, states);
    }
}

// ---- MBartLayers ------------------------------------------------------------------------------------------------

/// <summary>Whether a layer draws random numbers in training (any of its dropouts is above 0).</summary>
internal static class MBartDropout
{
    public static bool InLayers(MBartOptions options) =>
        options.Dropout > 0 || options.AttentionDropout > 0 || options.ActivationDropout > 0;
}

/// <summary>The FFN activation named by HF's <c>activation_function</c>.</summary>
internal static class MBartActivation
{
    public static Func<Tensor, Tensor> Resolve(string name) => name switch
    {
        "gelu" => x => functional.gelu(x),     // exact erf form, as HF's "gelu"
        "relu" => x => functional.relu(x),
        _ => throw new ArgumentException($"Unsupported activation '{name}'."),
    };
}

/// <summary>HF <c>MBartEncoderLayer</c>: pre-LayerNorm self-attention block, then pre-LayerNorm FFN block.</summary>
public sealed class MBartEncoderLayer : Module
{
    private readonly MBartAttention self_attn;
    private readonly LayerNorm self_attn_layer_norm;
    private readonly Linear fc1;
    private readonly Linear fc2;
    private readonly LayerNorm final_layer_norm;
    private readonly Func<Tensor, Tensor> activation;
    private readonly double dropout;
    private readonly double activationDropout;

    public MBartEncoderLayer(MBartOptions options, string name = "layer") : base(name)
    {
        var d = options.DModel;
        self_attn = new MBartAttention(d, options.EncoderAttentionHeads, options.AttentionDropout);
        self_attn_layer_norm = LayerNorm(d, eps: 1e-5);
        fc1 = Linear(d, options.EncoderFfnDim);
        fc2 = Linear(options.EncoderFfnDim, d);
        final_layer_norm = LayerNorm(d, eps: 1e-5);
        activation = MBartActivation.Resolve(options.ActivationFunction);
        dropout = options.Dropout;
        activationDropout = options.ActivationDropout;
        RegisterComponents();
    }

    // hidden [B,S,D], mask additive [B,1,1,S] -> [B,S,D]
    public Tensor Forward(Tensor hidden, Tensor? mask)
    {
        var residual = hidden;
        var h = self_attn.Forward(self_attn_layer_norm.call(hidden), null, mask, null);
        hidden = residual + functional.dropout(h, dropout, training);

        residual = hidden;
        h = activation(fc1.call(final_layer_norm.call(hidden)));
        h = fc2.call(functional.dropout(h, activationDropout, training));
        return residual + functional.dropout(h, dropout, training);
    }
}

/// <summary>Both attention caches of one decoder layer.</summary>
public sealed class DecoderLayerCache : IDisposable
{
    public AttentionCache SelfAttention { get; } = new();
    public AttentionCache CrossAttention { get; } = new();

    public void Dispose()
    {
        SelfAttention.Dispose();
        CrossAttention.Dispose();
    }
}

/// <summary>HF <c>MBartDecoderLayer</c>: pre-LN causal self-attention, pre-LN cross-attention, pre-LN FFN.</summary>
public sealed class MBartDecoderLayer : Module
{
    private readonly MBartAttention self_attn;
    private readonly LayerNorm self_attn_layer_norm;
    private readonly MBartAttention encoder_attn;
    private readonly LayerNorm encoder_attn_layer_norm;
    private readonly Linear fc1;
    private readonly Linear fc2;
    private readonly LayerNorm final_layer_norm;
    private readonly Func<Tensor, Tensor> activation;
    private readonly double dropout;
    private readonly double activationDropout;

    public MBartDecoderLayer(MBartOptions options, string name = "layer") : base(name)
    {
        var d = options.DModel;
        self_attn = new MBartAttention(d, options.DecoderAttentionHeads, options.AttentionDropout);
        self_attn_layer_norm = LayerNorm(d, eps: 1e-5);
        encoder_attn = new MBartAttention(d, options.DecoderAttentionHeads, options.AttentionDropout, "encoder_attn");
        encoder_attn_layer_norm = LayerNorm(d, eps: 1e-5);
        fc1 = Linear(d, options.DecoderFfnDim);
        fc2 = Linear(options.DecoderFfnDim, d);
        final_layer_norm = LayerNorm(d, eps: 1e-5);
        activation = MBartActivation.Resolve(options.ActivationFunction);
        dropout = options.Dropout;
        activationDropout = options.ActivationDropout;
        RegisterComponents();
    }

    // hidden [B,L,D], selfMask additive [B|1,1,L,past+L], encoderHidden [B,S,D], crossMask additive [B,1,1,S] -> [B,L,D]
    public Tensor Forward(Tensor hidden, Tensor? selfMask, Tensor encoderHidden, Tensor? crossMask, DecoderLayerCache? cache,
        List<Tensor>? crossAttentions = null)
    {
        var residual = hidden;
        var h = self_attn.Forward(self_attn_layer_norm.call(hidden), null, selfMask, cache?.SelfAttention);
        hidden = residual + functional.dropout(h, dropout, training);

        residual = hidden;
        h = encoder_attn.Forward(encoder_attn_layer_norm.call(hidden), encoderHidden, crossMask, cache?.CrossAttention, crossAttentions);
        hidden = residual + functional.dropout(h, dropout, training);

        residual = hidden;
        h = activation(fc1.call(final_layer_norm.call(hidden)));
        h = fc2.call(functional.dropout(h, activationDropout, training));
        return residual + functional.dropout(h, dropout, training);
    }
}

// ---- MBartAttention ---------------------------------------------------------------------------------------------

/// <summary>
/// Cached keys and values of one attention block, [B,H,L,Dh] each. The cache owns its tensors: they are detached
/// from dispose scopes (so per-step scopes may end) and released when replaced or when the cache is disposed.
/// </summary>
public sealed class AttentionCache : IDisposable
{
    public Tensor? Key { get; private set; }
    public Tensor? Value { get; private set; }

    internal void Set(Tensor key, Tensor value)
    {
        if (!ReferenceEquals(key, Key)) { Key?.Dispose(); Key = key.DetachFromDisposeScope(); }
        if (!ReferenceEquals(value, Value)) { Value?.Dispose(); Value = value.DetachFromDisposeScope(); }
    }

    internal void Reorder(Tensor rows)
    {
        if (Key is null || Value is null) return;
        Set(Key.index_select(0, rows), Value.index_select(0, rows));
    }

    public void Dispose()
    {
        Key?.Dispose();
        Value?.Dispose();
        Key = null;
        Value = null;
    }
}

/// <summary>
/// HF <c>MBartAttention</c>: multi-head attention with biased q/k/v/out projections, queries scaled by head_dim^-0.5,
/// additive masks. Batch-first throughout.
/// </summary>
public sealed class MBartAttention : Module
{
    private readonly Linear k_proj;
    private readonly Linear v_proj;
    private readonly Linear q_proj;
    private readonly Linear out_proj;
    private readonly int heads;
    private readonly int headDim;
    private readonly double scaling;
    private readonly double dropout;

    public MBartAttention(int embedDim, int heads, double dropout, string name = "self_attn") : base(name)
    {
        this.heads = heads;
        headDim = embedDim / heads;
        scaling = Math.Pow(headDim, -0.5);
        this.dropout = dropout;
        k_proj = Linear(embedDim, embedDim);
        v_proj = Linear(embedDim, embedDim);
        q_proj = Linear(embedDim, embedDim);
        out_proj = Linear(embedDim, embedDim);
        RegisterComponents();
    }

    /// <summary>
    /// hidden [B,Lq,D]; keyValueStates [B,Lk,D] for cross-attention (null: self-attention); additiveMask broadcastable to
    /// [B,H,Lq,Lk]. With a cache, self-attention appends this step's keys/values, cross-attention computes them once.
    /// Returns [B,Lq,D].
    /// </summary>
    /// <paramref name="probabilities"/>, when given, receives the attention probabilities [B,H,Lq,Lk] (before dropout).
    public Tensor Forward(Tensor hidden, Tensor? keyValueStates, Tensor? additiveMask, AttentionCache? cache,
        List<Tensor>? probabilities = null)
    {
        var batch = hidden.shape[0];
        var queryLength = hidden.shape[1];
        var query = Split(q_proj.call(hidden) * scaling);                         // [B,H,Lq,Dh]

        Tensor key, value;
        if (keyValueStates is not null)
        {
            if (cache?.Key is not null)
            {
                key = cache.Key;
                value = cache.Value!;
            }
            else
            {
                key = Split(k_proj.call(keyValueStates));                          // [B,H,Lk,Dh]
                value = Split(v_proj.call(keyValueStates));
            }
        }
        else
        {
            key = Split(k_proj.call(hidden));                                      // [B,H,Lq,Dh]
            value = Split(v_proj.call(hidden));
            if (cache?.Key is not null)
            {
                key = cat(new[] { cache.Key, key }, 2);                            // [B,H,Lpast+Lq,Dh]
                value = cat(new[] { cache.Value!, value }, 2);
            }
        }
        cache?.Set(key, value);

        var scores = matmul(query, key.transpose(2, 3));                           // [B,H,Lq,Lk]
        if (additiveMask is not null)
            scores = scores + additiveMask;
        var weights = functional.softmax(scores, -1);
        probabilities?.Add(weights);
        var context = matmul(functional.dropout(weights, dropout, training), value)                                // [B,H,Lq,Dh]
            .transpose(1, 2).reshape(batch, queryLength, heads * headDim);         // [B,Lq,D]
        return out_proj.call(context);
    }

    // [B,L,D] -> [B,H,L,Dh]
    private Tensor Split(Tensor x) => x.view(x.shape[0], x.shape[1], heads, headDim).transpose(1, 2);
}

// ---- MBartEmbedding ---------------------------------------------------------------------------------------------

/// <summary>
/// A lookup table [N,D] with PyTorch's <c>padding_idx</c> semantics (the padding row gets no gradient), holding its
/// <see cref="TorchSharp.Modules.Parameter"/> as a managed object so that tying (encoder, decoder, LM head) shares one object: the
/// optimizer and the parameter count then see it once. ids [...] → [..., D].
/// </summary>
public sealed class MBartEmbedding : Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly long? paddingIndex;

    public MBartEmbedding(long count, long dim, long? paddingIndex = null, string name = "embedding") : base(name)
    {
        this.paddingIndex = paddingIndex;
        weight = new Parameter(randn(count, dim));
        if (paddingIndex is { } pad)
            using (no_grad())
                weight[pad].zero_();
        RegisterComponents();
    }

    /// <summary>The table [N,D].</summary>
    public Parameter Weight => weight;

    // ids [...] -> [..., D]
    public override Tensor forward(Tensor ids)
    {
        var shape = ids.shape.Append(weight.shape[1]).ToArray();
        var rows = weight.index_select(0, ids.reshape(-1)).view(shape);
        if (paddingIndex is not { } pad)
            return rows;
        // As nn.Embedding(padding_idx): lookups of the padding id pass no gradient to its row.
        var isPad = ids.eq(pad).unsqueeze(-1);
        return where(isPad, rows.detach(), rows);
    }
}

// ---- MBartMasks -------------------------------------------------------------------------------------------------

/// <summary>
/// HF's additive attention masks: 0 where attention is allowed, the dtype's most negative finite value where it is
/// not. Where a causal and a padding mask overlap the two minima add (to −inf in float32), as in HF 4.32.
/// </summary>
public static class MBartMasks
{
    /// <summary>Padding mask [B,S] (1 = real) → additive [B,1,1,S].</summary>
    public static Tensor Padding(Tensor mask, ScalarType dtype)
    {
        var blocked = mask.eq(0).unsqueeze(1).unsqueeze(1);                        // [B,1,1,S]
        return zeros(blocked.shape, dtype, mask.device).masked_fill(blocked, Minimum(dtype));
    }

    /// <summary>Causal mask for <paramref name="length"/> new positions after <paramref name="pastLength"/> cached ones → [1,1,L,past+L].</summary>
    public static Tensor Causal(long length, long pastLength, ScalarType dtype, Device device)
    {
        var rows = arange(length, device: device).unsqueeze(1) + pastLength;       // [L,1]
        var cols = arange(pastLength + length, device: device).unsqueeze(0);       // [1,past+L]
        return zeros(new[] { length, pastLength + length }, dtype, device)
            .masked_fill(cols.gt(rows), Minimum(dtype)).unsqueeze(0).unsqueeze(0);
    }

    public static double Minimum(ScalarType dtype) => dtype switch
    {
        ScalarType.Float64 => double.MinValue,
        ScalarType.Float16 => -65504.0,
        ScalarType.BFloat16 => -3.3895313892515355e38,
        _ => float.MinValue,
    };
}
