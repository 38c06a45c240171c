using SignTranslate.Benchmarks;
using SignTranslate.Losses;
using static TorchSharp.torch;

namespace SignTranslate.Tests.Losses;

/// <summary>Parity with the original PyTorch SignCL / SignInfoNCE on every reference vector, replaying its draws.</summary>
public class SignClParityTests
{
    public static TheoryData<string> Cases() => SignClVector.Cases();

    [Theory]
    [MemberData(nameof(Cases))]
    public void ReferenceLossAndGradientMatchInFloat64(string file)
    {
        var vector = SignClVector.Load(file);
        var (loss, grad) = Evaluate(vector, ScalarType.Float64, (x, v) => Reference(x, v));

        AssertRelative(vector.Loss, loss, 1e-9);
        AssertGradient(vector.Grad, grad, 1e-9);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ReferenceLossAndGradientMatchInFloat32(string file)
    {
        var vector = SignClVector.Load(file);
        var (loss, grad) = Evaluate(vector, ScalarType.Float32, (x, v) => Reference(x, v));

        AssertRelative(vector.Loss, loss, 1e-5);
        AssertGradient(vector.Grad, grad, 1e-5);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void PerAnchorLoopMatchesTheVector(string file)
    {
        var vector = SignClVector.Load(file);
        var (loss, grad) = Evaluate(vector, ScalarType.Float64, (x, v) => v.IsInfoNce
            ? PerAnchorLoopLoss.InfoNceReference(x, v.Draw, v.Temperature)
            : PerAnchorLoopLoss.SignClReference(x, v.Draw, v.MaxDistance));

        AssertRelative(vector.Loss, loss, 1e-9);
        AssertGradient(vector.Grad, grad, 1e-9);
    }

    /// <summary>
    /// With every length = T and the vector's draw given to each sequence, the masked loss is the reference one
    /// without its batch scaling: SignCL's reference averages over the batch inside each anchor and divides by B·(T − 4)
    /// again; InfoNCE sums over the batch. Masked = mean over sequences of the mean over the T − 3 anchors.
    /// </summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void MaskedWithFullLengthsIsTheReferenceRescaled(string file)
    {
        var vector = SignClVector.Load(file);
        var draws = Enumerable.Repeat<SequenceDraw?>(vector.Draw, vector.Batch).ToArray();
        var (loss, grad) = Evaluate(vector, ScalarType.Float64, (x, v) => v.IsInfoNce
            ? SignCl.InfoNceMasked(x, draws, v.Temperature)
            : SignCl.Masked(x, draws, v.MaxDistance));

        var anchors = vector.Frames - 3.0;
        var scale = (vector.Frames - 4.0) / anchors * (vector.IsInfoNce ? 1 : vector.Batch);
        AssertRelative(vector.Loss * scale, loss, 1e-9);
        AssertGradient(vector.Grad.Select(g => g * scale).ToArray(), grad, 1e-9);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void CriterionReplayingTheDrawGivesTheVectorLoss(string file)
    {
        var vector = SignClVector.Load(file);
        var options = new SignClOptions
        {
            Masked = false,
            Variant = vector.IsInfoNce ? SignClVariant.InfoNce : SignClVariant.SignCl,
            MaxDistance = vector.IsInfoNce ? 32 : vector.MaxDistance,
            Temperature = vector.IsInfoNce ? vector.Temperature : 0.1,
            PositiveSamples = vector.PositiveSamples,
            NegativeSamples = vector.NegativeSamples,
            InfoNceNegativeSamples = vector.NegativeSamples,
        };
        var criterion = new SignCl(options, new RecordedSignClSampler([vector.Draw]));
        var (loss, _) = Evaluate(vector, ScalarType.Float64, (x, v) => criterion.Compute(x, null, v.Margin));

        AssertRelative(vector.Loss, loss, 1e-9);
    }

    internal static Tensor Reference(Tensor features, SignClVector vector) => vector.IsInfoNce
        ? SignCl.InfoNceReference(features, vector.Draw, vector.Temperature)
        : SignCl.Reference(features, vector.Draw, vector.MaxDistance);

    private static (double Loss, double[] Grad) Evaluate(SignClVector vector, ScalarType dtype, Func<Tensor, SignClVector, Tensor> lossOf)
    {
        using var scope = NewDisposeScope();
        var features = tensor(vector.Input, [vector.Batch, vector.Frames, vector.Dim])
            .to_type(dtype).requires_grad_(true);
        var loss = lossOf(features, vector);
        loss.backward();
        Assert.Equal(dtype, loss.dtype);
        return (loss.to_type(ScalarType.Float64).item<double>(), features.grad!.to_type(ScalarType.Float64).data<double>().ToArray());
    }

    private static void AssertRelative(double expected, double actual, double tolerance)
    {
        var error = Math.Abs(actual - expected) / Math.Max(Math.Abs(expected), 1e-300);
        Assert.True(error <= tolerance, $"loss {actual:R} vs expected {expected:R}: relative error {error:E2} > {tolerance:E0}");
    }

    /// <summary>Elementwise, relative to the largest expected gradient entry (most entries are exactly 0).</summary>
    private static void AssertGradient(double[] expected, double[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        var scale = Math.Max(expected.Max(Math.Abs), 1e-12);
        var worst = 0.0;
        var worstAt = -1;
        for (var k = 0; k < expected.Length; k++)
        {
            var error = Math.Abs(actual[k] - expected[k]) / scale;
            if (error > worst) (worst, worstAt) = (error, k);
        }
        Assert.True(worst <= tolerance,
            $"gradient entry {worstAt}: {(worstAt < 0 ? 0 : actual[worstAt]):R} vs {(worstAt < 0 ? 0 : expected[worstAt]):R}, error {worst:E2} of the largest |grad| > {tolerance:E0}");
    }
}
