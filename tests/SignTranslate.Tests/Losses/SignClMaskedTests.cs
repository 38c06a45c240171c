using SignTranslate.Benchmarks;
using SignTranslate.Losses;
using static TorchSharp.torch;

namespace SignTranslate.Tests.Losses;

/// <summary>Invariants of the masked SignCL / SignInfoNCE: padding is invisible, no NaN anywhere, loop parity.</summary>
public class SignClMaskedTests
{
    private static readonly int[] Lengths = [20, 13, 7, 3];

    [Theory]
    [InlineData(SignClVariant.SignCl)]
    [InlineData(SignClVariant.InfoNce)]
    public void PaddingContentChangesNeitherLossNorGradient(SignClVariant variant)
    {
        using var scope = NewDisposeScope();
        var criterionOptions = new SignClOptions { Variant = variant, Masked = true, InfoNceNegativeSamples = 6 };
        var real = Features(Lengths.Length, 20, 6, seed: 1);

        var (onePadLoss, onePadGrad) = Evaluate(criterionOptions, WithPadding(real, 1.0));
        var (noisePadLoss, noisePadGrad) = Evaluate(criterionOptions, WithPadding(real, double.NaN, noise: true));
        var (nanPadLoss, nanPadGrad) = Evaluate(criterionOptions, WithPadding(real, double.NaN));

        Assert.True(double.IsFinite(onePadLoss) && onePadLoss > 0, $"loss {onePadLoss}");
        Assert.Equal(onePadLoss, noisePadLoss);
        Assert.Equal(onePadLoss, nanPadLoss);
        Assert.True(onePadGrad.allclose(noisePadGrad, rtol: 0, atol: 0));
        Assert.True(onePadGrad.allclose(nanPadGrad, rtol: 0, atol: 0));
        // Padded frames receive no gradient; real frames of a usable sequence do.
        for (var b = 0; b < Lengths.Length; b++)
        {
            var padding = onePadGrad[b, Lengths[b]..];
            Assert.Equal(0.0, padding.abs().sum().item<double>());
        }
        Assert.True(onePadGrad[0].abs().sum().item<double>() > 0);
        Assert.Equal(0.0, onePadGrad[3].abs().sum().item<double>()); // 3 frames: too short, skipped
    }

    [Theory]
    [InlineData(SignClVariant.SignCl)]
    [InlineData(SignClVariant.InfoNce)]
    public void NoNaNOnAnyShapeLengthOrMargin(SignClVariant variant)
    {
        var random = new Random(7);
        foreach (var masked in new[] { true, false })
        foreach (var frames in Enumerable.Range(0, 14))
        foreach (var margin in new[] { -3, 0, 1, 4, 50 })
        {
            using var scope = NewDisposeScope();
            var batch = 1 + random.Next(3);
            var lengths = Enumerable.Range(0, batch).Select(_ => random.Next(frames + 1)).ToArray();
            var options = new SignClOptions { Variant = variant, Masked = masked, InfoNceNegativeSamples = 5 };
            var criterion = new SignCl(options, new SeededSignClSampler(frames * 100 + margin));
            var features = Features(batch, frames, 4, seed: frames).requires_grad_(true);

            var loss = criterion.Compute(features, lengths, margin);
            if (loss.requires_grad)
                loss.backward();

            var value = loss.item<double>();
            var where = $"masked={masked} T={frames} margin={margin} lengths=[{string.Join(",", lengths)}]";
            Assert.True(double.IsFinite(value), $"loss {value} at {where}");
            if (frames < SequenceDraw.MinimumFrames)
                Assert.Equal(0.0, value);
            if (features.grad is { } grad)
                Assert.True(grad.isfinite().all().item<bool>(), $"non-finite gradient at {where}");
        }
    }

    [Theory]
    [InlineData(SignClVariant.SignCl, 3)]
    [InlineData(SignClVariant.SignCl, 0)]
    [InlineData(SignClVariant.InfoNce, 3)]
    public void MaskedVectorisedEqualsPerSequenceLoop(SignClVariant variant, int margin)
    {
        using var scope = NewDisposeScope();
        var sampler = new SeededSignClSampler(11);
        var draws = Lengths.Select(length => length < SequenceDraw.MinimumFrames ? null : sampler.Draw(length, margin, 2, 5)).ToArray();
        var features = Features(Lengths.Length, 20, 5, seed: 3);

        var (vectorised, vectorisedGrad) = LossAndGrad(features, x => variant == SignClVariant.InfoNce
            ? SignCl.InfoNceMasked(x, draws, 0.5)
            : SignCl.Masked(x, draws, 4.0));
        var (loop, loopGrad) = LossAndGrad(features, x => variant == SignClVariant.InfoNce
            ? PerAnchorLoopLoss.InfoNceMasked(x, draws, 0.5)
            : PerAnchorLoopLoss.SignClMasked(x, draws, 4.0));

        Assert.Equal(loop, vectorised, 1e-12);
        Assert.True(vectorisedGrad.allclose(loopGrad, rtol: 1e-10, atol: 1e-14));
    }

    /// <summary>
    /// The hand-written backward against autograd through the loop, where the reference's inputs are hardest:
    /// replicated leading frames and 1.0 padding rows (zero distances, whose L1 gradient is 0), and distances far
    /// beyond δ (softplus in its linear range), with negative margins so anchors are their own negatives.
    /// </summary>
    [Theory]
    [InlineData(4, 0.05)]
    [InlineData(-2, 50.0)]
    public void ReferenceVectorisedEqualsLoopOnReplicatedPaddedAndSaturatedFrames(int margin, double scale)
    {
        using var scope = NewDisposeScope();
        var features = Features(3, 24, 8, seed: 5) * scale;
        features[.., ..4] = features[.., 4..5].expand(3, 4, 8);  // replicated leading frames
        features[1, 17..] = ones(7, 8, dtype: ScalarType.Float64); // the reference's 1.0 padding
        var draw = new SeededSignClSampler(8).Draw(24, margin, 2, 6);

        var (vectorised, vectorisedGrad) = LossAndGrad(features, x => SignCl.Reference(x, draw, 32));
        var (loop, loopGrad) = LossAndGrad(features, x => PerAnchorLoopLoss.SignClReference(x, draw, 32));

        Assert.Equal(loop, vectorised, 1e-12 * Math.Max(1, Math.Abs(loop)));
        Assert.True(vectorisedGrad.allclose(loopGrad, rtol: 1e-10, atol: 1e-14));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void RepeatedBackwardWithRetainedGraphAccumulatesTheSameGradient(bool masked)
    {
        using var scope = NewDisposeScope();
        var features = Features(2, 16, 4, seed: 12).requires_grad_(true);
        var sampler = new SeededSignClSampler(4);
        var draw = sampler.Draw(16, 3, 2, 4);
        var loss = masked ? SignCl.Masked(features, [draw, sampler.Draw(11, 3, 2, 4)], 5) : SignCl.Reference(features, draw, 5);

        loss.backward(retain_graph: true);
        var once = features.grad!.clone();
        loss.backward();

        Assert.True(once.abs().sum().item<double>() > 0);
        Assert.True(features.grad!.allclose(2 * once, rtol: 1e-12, atol: 0));
    }

    [Fact]
    public void LossWithoutGradientTrackingHasTheSameValue()
    {
        using var scope = NewDisposeScope();
        var features = Features(2, 16, 4, seed: 6);
        var draw = new SeededSignClSampler(2).Draw(16, 3, 2, 4);

        var tracked = SignCl.Reference(features.detach().requires_grad_(true), draw, 5).item<double>();
        double untracked;
        using (no_grad())
            untracked = SignCl.Reference(features, draw, 5).item<double>();

        Assert.Equal(tracked, untracked);
    }

    [Fact]
    public void MaskedBatchLossIsTheMeanOfItsSequencesAlone()
    {
        using var scope = NewDisposeScope();
        var sampler = new SeededSignClSampler(5);
        var draws = Lengths.Select(length => length < SequenceDraw.MinimumFrames ? null : sampler.Draw(length, 2, 2, 4)).ToArray();
        var features = Features(Lengths.Length, 20, 5, seed: 9);

        var batchLoss = SignCl.Masked(features, draws, 3.0).item<double>();
        var alone = Enumerable.Range(0, 3) // the fourth sequence is too short to count
            .Select(b => SignCl.Masked(features[b..(b + 1), ..Lengths[b]], [draws[b]], 3.0).item<double>())
            .ToArray();

        Assert.Equal(alone.Average(), batchLoss, 1e-12);
        Assert.True(alone.Distinct().Count() == 3, "sequences should differ");
    }

    [Fact]
    public void SeededCriterionIsDeterministicAndSeedSensitive()
    {
        using var scope = NewDisposeScope();
        var features = Features(2, 40, 8, seed: 4);
        double Run(int seed) => new SignCl(new SignClOptions(), seed)
            .Compute(features, [40, 33], [5, 5]).item<double>();

        Assert.Equal(Run(1), Run(1));
        Assert.NotEqual(Run(1), Run(2));
    }

    [Fact]
    public void ReferenceModeRejectsPerSequenceMargins()
    {
        using var scope = NewDisposeScope();
        var criterion = new SignCl(new SignClOptions { Masked = false }, new SeededSignClSampler(1));
        Assert.Throws<ArgumentException>(() => criterion.Compute(Features(2, 10, 3, seed: 1), null, [2, 3]));
    }

    private static Tensor Features(int batch, int frames, int dim, int seed)
    {
        var generator = new Generator((ulong)seed);
        return (randn([batch, frames, dim], dtype: ScalarType.Float64, generator: generator) * 4).detach();
    }

    private static Tensor WithPadding(Tensor real, double value, bool noise = false)
    {
        var padded = real.clone();
        for (var b = 0; b < Lengths.Length; b++)
        {
            var padding = padded[b, Lengths[b]..];
            if (noise)
                padding.copy_(randn_like(padding) * 1e3);
            else
                padding.fill_(value);
        }
        return padded;
    }

    private static (double Loss, Tensor Grad) Evaluate(SignClOptions options, Tensor features)
    {
        var criterion = new SignCl(options, new SeededSignClSampler(42));
        var input = features.detach().requires_grad_(true);
        var loss = criterion.Compute(input, Lengths, 3);
        loss.backward();
        return (loss.item<double>(), input.grad!);
    }

    private static (double Loss, Tensor Grad) LossAndGrad(Tensor features, Func<Tensor, Tensor> lossOf)
    {
        var input = features.detach().requires_grad_(true);
        var loss = lossOf(input);
        loss.backward();
        return (loss.item<double>(), input.grad!);
    }
}
