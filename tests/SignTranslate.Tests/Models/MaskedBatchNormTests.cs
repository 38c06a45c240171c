using SignTranslate.Models;
using static TorchSharp.torch;

namespace SignTranslate.Tests.Models;

/// <summary>The corrected BatchNorm (docs/reference.md#s11.9): unmasked it is BatchNorm1d; masked, padding is inert.</summary>
public class MaskedBatchNormTests
{
    [Fact]
    public void WithoutMaskItMatchesTorchBatchNorm1dInTrainAndEval()
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        var reference = nn.BatchNorm1d(6);
        var masked = new MaskedBatchNorm1d(6);
        using (no_grad())
        {
            var w = randn(6); var b = randn(6);
            reference.weight!.copy_(w); reference.bias!.copy_(b);
            masked.state_dict()["weight"].copy_(w); masked.state_dict()["bias"].copy_(b);
        }
        var x = randn(3, 6, 9) * 2 + 1;
        TensorAssert.Close(reference.call(x).detach(), masked.Forward(x, null, 0), 1e-5, 1e-5, "train output");
        var referenceState = reference.state_dict();
        foreach (var (name, value) in masked.state_dict())
            TensorAssert.Close(referenceState[name].to(ScalarType.Float64), value.to(ScalarType.Float64), 1e-6, 1e-6, name);
        reference.eval(); masked.eval();
        TensorAssert.Close(reference.call(x).detach(), masked.Forward(x, null, 0), 1e-5, 1e-5, "eval output");
    }

    [Fact]
    public void MaskedTemporalConvIgnoresPaddedFramesAndFullLengthsEqualUnmasked()
    {
        using var scope = NewDisposeScope();
        manual_seed(2);
        var features = randn(2, 24, 8);
        var other = features.clone();
        using (no_grad())
            other[1, 20..] = randn(4, 8) * 100;                 // different padding content after video 2's 20 frames
        var lengths = new long[] { 24, 20 };

        var first = new TemporalConv(8, 6);
        var second = new TemporalConv(8, 6);
        second.load_state_dict(first.state_dict());
        first.train(); second.train();
        var a = first.Forward(features, lengths);
        var b = second.Forward(other, lengths);
        var validSecond = TemporalConv.OutputLength(20);          // 2 of 3 output steps read only real frames
        TensorAssert.Close(a[0].detach(), b[0], 1e-5, 1e-5, "video 1");
        TensorAssert.Close(a[1, ..(int)validSecond].detach(), b[1, ..(int)validSecond], 1e-5, 1e-5, "video 2 valid steps");
        var secondState = second.state_dict();
        foreach (var (name, value) in first.state_dict())
            TensorAssert.Close(value.to(ScalarType.Float64), secondState[name].to(ScalarType.Float64), 1e-6, 1e-6, name);

        // Unmasked statistics do see the padding, so the same comparison differs there.
        var plain = new TemporalConv(8, 6);
        plain.load_state_dict(first.state_dict());
        plain.train();
        var c = plain.Forward(other, null);
        Assert.False(c[0].allclose(b[0], 1e-3, 1e-3));

        // Every video at full length: masked equals unmasked.
        var full = new TemporalConv(8, 6);
        var unmasked = new TemporalConv(8, 6);
        unmasked.load_state_dict(full.state_dict());
        full.train(); unmasked.train();
        TensorAssert.Close(unmasked.Forward(features, null).detach(), full.Forward(features, new long[] { 24, 24 }), 1e-5, 1e-5, "full lengths");
    }
}
