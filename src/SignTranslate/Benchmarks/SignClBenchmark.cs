using System.Diagnostics;
using SignTranslate.Losses;
using static TorchSharp.torch;

namespace SignTranslate.Benchmarks;

/// <summary>What <see cref="SignClBenchmark"/> measures: the reference-mode SignCL on random float32 features.</summary>
public sealed record SignClBenchmarkSettings
{
    /// <summary>B, sequences per batch. Default 4.</summary>
    public int Batch { get; init; } = 4;

    /// <summary>T values, one result row each. Default 64, 128, 256, 400 (the sizes).</summary>
    public IReadOnlyList<int> Frames { get; init; } = [64, 128, 256, 400];

    /// <summary>D, the feature width. Default 512 (ResNet-18 frame features).</summary>
    public int Dim { get; init; } = 512;

    /// <summary>Untimed runs of each implementation before timing. Default 2.</summary>
    public int Warmup { get; init; } = 2;

    /// <summary>Timed runs of each implementation; the median is reported. Default 5.</summary>
    public int Repeats { get; init; } = 5;

    /// <summary>Negative-sampling margin. Default 20 (<c>SignCL.py</c>'s default argument).</summary>
    public int Margin { get; init; } = 20;

    /// <summary>Seed of the features and of the index draws.</summary>
    public int Seed { get; init; } = 0;
}

/// <summary>One row: median forward+backward times in milliseconds, loop ÷ vectorised, and the largest absolute
/// difference between the two implementations over the loss and every gradient entry (same draws).</summary>
public sealed record SignClBenchmarkRow(int Frames, double VectorisedMs, double LoopMs, double Ratio, double MaxAbsDiff);

/// <summary>
/// Times forward+backward of the vectorised <see cref="SignCl.Reference"/> against the per-anchor loop
/// <see cref="PerAnchorLoopLoss.SignClReference"/> on identical features and draws, interleaving the two so that
/// machine noise hits both alike. The index draw itself is outside the timed region for both.
/// </summary>
public static class SignClBenchmark
{
    public static IReadOnlyList<SignClBenchmarkRow> Run(SignClBenchmarkSettings settings, CancellationToken cancel = default)
    {
        var rows = new List<SignClBenchmarkRow>();
        foreach (var frames in settings.Frames)
        {
            cancel.ThrowIfCancellationRequested();
            rows.Add(Measure(settings, frames, cancel));
        }
        return rows;
    }

    private static SignClBenchmarkRow Measure(SignClBenchmarkSettings settings, int frames, CancellationToken cancel)
    {
        const double maxDistance = 32.0;
        var draw = new SeededSignClSampler(settings.Seed).Draw(frames, settings.Margin, positiveSamples: 2, negativeSamples: 4);
        using var features = randn([settings.Batch, frames, settings.Dim], generator: new Generator((ulong)settings.Seed));

        var vectorisedMs = new List<double>();
        var loopMs = new List<double>();
        var maxAbsDiff = 0.0;
        for (var run = 0; run < settings.Warmup + settings.Repeats; run++)
        {
            cancel.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var (vectorisedTime, vectorisedLoss, vectorisedGrad) = ForwardBackward(features, x => SignCl.Reference(x, draw, maxDistance));
            var (loopTime, loopLoss, loopGrad) = ForwardBackward(features, x => PerAnchorLoopLoss.SignClReference(x, draw, maxDistance));
            if (run < settings.Warmup)
                continue;
            vectorisedMs.Add(vectorisedTime);
            loopMs.Add(loopTime);
            var gradDiff = (vectorisedGrad - loopGrad).abs().max().item<float>();
            maxAbsDiff = Math.Max(maxAbsDiff, Math.Max(Math.Abs(vectorisedLoss - loopLoss), gradDiff));
        }

        var vectorised = Timings.Median(vectorisedMs);
        var loop = Timings.Median(loopMs);
        return new SignClBenchmarkRow(frames, vectorised, loop, loop / vectorised, maxAbsDiff);
    }

    private static (double Milliseconds, double Loss, Tensor Grad) ForwardBackward(Tensor features, Func<Tensor, Tensor> lossOf)
    {
        var input = features.detach().requires_grad_(true);
        var watch = Stopwatch.StartNew();
        var loss = lossOf(input);
        loss.backward();
        var value = loss.item<float>(); // CPU autograd is synchronous; reading the value closes the timed region
        watch.Stop();
        return (watch.Elapsed.TotalMilliseconds, value, input.grad!);
    }
}
