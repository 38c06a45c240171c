using static TorchSharp.torch;

namespace SignTranslate.Models;

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
