using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SignTranslate.Models;

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
