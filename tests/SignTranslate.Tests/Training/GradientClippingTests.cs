using SignTranslate.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SignTranslate.Tests.Training;

/// <summary>The trainer's device-side clipping must clip exactly as LibTorch's clip_grad_norm_ did before it.</summary>
public sealed class GradientClippingTests
{
    [Theory]
    [InlineData(0.05)]   // clips
    [InlineData(1e6)]    // leaves the gradients as they are (coefficient clamped to 1)
    public void ClipsTheSameBitsAsLibTorchAndReturnsTheSameNorm(double maxNorm)
    {
        using var scope = NewDisposeScope();
        List<Parameter> Parameters() => Enumerable.Range(0, 4).Select(i =>
        {
            var parameter = new Parameter(randn(3 + i, 5, generator: new Generator((ulong)i)));
            parameter.grad = randn(3 + i, 5, generator: new Generator((ulong)(100 + i))) * (i + 1);
            return parameter;
        }).ToList();
        var ours = Parameters();
        var theirs = Parameters();
        // The last one has no gradient: both skip it.
        ours.Add(new Parameter(ones(2)));
        theirs.Add(new Parameter(ones(2)));

        var norm = GradientClipping.ClipNorm(ours, maxNorm)!;
        var expected = nn.utils.clip_grad_norm_(theirs, maxNorm);

        Assert.Equal(expected, (double)norm.item<float>());
        for (var i = 0; i < 4; i++)
            Assert.True(ours[i].grad!.eq(theirs[i].grad!).all().item<bool>(), $"gradient {i} differs");
    }

    [Fact]
    public void NoGradientGivesNoNorm() =>
        Assert.Null(GradientClipping.ClipNorm([new Parameter(ones(2))], 1.0));
}
