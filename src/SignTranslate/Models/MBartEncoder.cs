using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SignTranslate.Models;

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
        RegisterComponents();
    }

    public MBartEmbedding TokenEmbedding => embed_tokens;

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
            hidden = layer.Forward(hidden, mask);
        }
        hidden = layer_norm.call(hidden);
        states?.Add(hidden);
        return new EncoderOutput(hidden, states);
    }
}
