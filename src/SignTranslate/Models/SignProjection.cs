using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SignTranslate.Models;

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
