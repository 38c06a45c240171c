using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SignTranslate.Models;

/// <summary>
/// Combines RGB and pose frame features [B,T,F] into one [B,T,F] (docs/pose.md#fusion). <c>sum</c>: rgb + pose (the
/// pose encoder's own output projection adapts it; no parameters here). <c>gated</c>: rgb + g ⊙ pose with
/// g = σ(<c>gate</c>([rgb; pose])), the gate's bias starting at 0 so that g starts near one half.
/// </summary>
public sealed class StreamFusionBlock : Module
{
    private readonly Linear? gate;

    public StreamFusionBlock(StreamFusion kind, int featureSize, string name = "fusion") : base(name)
    {
        Kind = kind;
        if (kind == StreamFusion.Gated)
        {
            gate = Linear(2 * featureSize, featureSize);
            using (no_grad()) gate.bias!.zero_();
        }
        RegisterComponents();
    }

    public StreamFusion Kind { get; }

    // rgb [B,T,F], pose [B,T,F] -> [B,T,F]
    public Tensor Forward(Tensor rgb, Tensor pose) => gate is null
        ? rgb.add(pose, LiveScalars.One)
        : rgb.add(functional.sigmoid(gate.call(cat([rgb, pose], 2))) * pose, LiveScalars.One);
}
