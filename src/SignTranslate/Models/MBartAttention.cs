using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SignTranslate.Models;

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
    public Tensor Forward(Tensor hidden, Tensor? keyValueStates, Tensor? additiveMask, AttentionCache? cache)
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
        var probabilities = functional.dropout(functional.softmax(scores, -1), dropout, training);
        var context = matmul(probabilities, value)                                 // [B,H,Lq,Dh]
            .transpose(1, 2).reshape(batch, queryLength, heads * headDim);         // [B,Lq,D]
        return out_proj.call(context);
    }

    // [B,L,D] -> [B,H,L,Dh]
    private Tensor Split(Tensor x) => x.view(x.shape[0], x.shape[1], heads, headDim).transpose(1, 2);
}
