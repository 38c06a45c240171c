using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SignTranslate.Models;

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
    public Tensor Forward(Tensor hidden, Tensor? selfMask, Tensor encoderHidden, Tensor? crossMask, DecoderLayerCache? cache)
    {
        var residual = hidden;
        var h = self_attn.Forward(self_attn_layer_norm.call(hidden), null, selfMask, cache?.SelfAttention);
        hidden = residual + functional.dropout(h, dropout, training);

        residual = hidden;
        h = encoder_attn.Forward(encoder_attn_layer_norm.call(hidden), encoderHidden, crossMask, cache?.CrossAttention);
        hidden = residual + functional.dropout(h, dropout, training);

        residual = hidden;
        h = activation(fc1.call(final_layer_norm.call(hidden)));
        h = fc2.call(functional.dropout(h, activationDropout, training));
        return residual + functional.dropout(h, dropout, training);
    }
}
