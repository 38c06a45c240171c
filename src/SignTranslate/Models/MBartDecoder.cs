using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SignTranslate.Models;

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
        LayerCount = options.DecoderLayers;
        RegisterComponents();
    }

    public int LayerCount { get; }

    public MBartEmbedding TokenEmbedding => embed_tokens;

    public MBartDecoderCache NewCache() => new(LayerCount);

    /// <summary>
    /// inputIds [B,L] (only the new positions when a cache holds the earlier ones); attentionMask [B,past+L] (optional);
    /// encoderHidden [B,S,D]; encoderMask [B,S] (optional). Returns [B,L,D].
    /// </summary>
    public DecoderOutput Forward(Tensor inputIds, Tensor? attentionMask, Tensor encoderHidden, Tensor? encoderMask,
        MBartDecoderCache? cache = null, bool outputHiddenStates = false)
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
            hidden = layers[i].Forward(hidden, selfMask, encoderHidden, crossMask, cache?.Layers[i]);
        }
        hidden = layer_norm.call(hidden);
        states?.Add(hidden);
        return new DecoderOutput(hidden, states);
    }
}
