using SignTranslate.Config;

namespace SignTranslate.Models;

/// <summary>Which reference finetuning script's <c>--finetune</c> key mapping to reproduce.</summary>
public enum VlpTransferVariant
{
    /// <summary>GFSLT-VLP <c>train_slt.py</c>: every <c>trans_encoder</c> key is copied, token table included.</summary>
    Gfslt,

    /// <summary>SignCL <c>train_csl_SignCL.py</c>: <c>trans_encoder</c> keys containing <c>.embed_tokens</c> are skipped.</summary>
    SignCl,
}

/// <summary>How a VLP (pretraining) checkpoint initialises the SLT model (docs/reference.md#s4.7).</summary>
public sealed record VlpTransferOptions : IValidatableConfig
{
    /// <summary>
    /// The reference script whose mapping is reproduced. Default <see cref="VlpTransferVariant.Gfslt"/>. Because the
    /// encoder token table is tied to the decoder's, which is overwritten from the mBART weights afterwards, both
    /// variants give identical weights; only the load report differs.
    /// </summary>
    public VlpTransferVariant Variant { get; init; } = VlpTransferVariant.Gfslt;

    /// <summary>
    /// Copy the VLP masked-text decoder (<c>module.text_decoder.*</c>) into the SLT decoder. Default true (decoder type
    /// LD). False reproduces SignCL's LLMD recipe, which drops the pretrained text decoder (docs/reference.md#s11.15).
    /// </summary>
    public bool TransferTextDecoder { get; init; } = true;

    public IEnumerable<ConfigProblem> Validate() => new ConfigChecks().Defined("variant", Variant);
}
