using System.Diagnostics;
using SignTranslate.Distributed;
using static TorchSharp.torch;

namespace SignTranslate.Benchmarks;

/// <summary>One measurement of <see cref="AllReduceBenchmark"/>.</summary>
/// <param name="Milliseconds">Median time of one whole-gradient all-reduce (bucketing included).</param>
public sealed record AllReduceRow(int Processes, long Parameters, int Tensors, double Milliseconds, double GigabytesPerSecond);

/// <summary>
/// What the data-parallel step adds: the all-reduce of a gradient of a given size, split into tensors as a model's
/// gradient is, through the same <see cref="IProcessGroup.SumInPlace"/> the trainer calls (25 MiB buckets). Every process
/// runs it; the times are process 0's. The sums are checked.
/// </summary>
public static class AllReduceBenchmark
{
    public static AllReduceRow Run(IProcessGroup group, long parameters, int tensors, int warmup, int repeats)
    {
        using var scope = NewDisposeScope();
        var sizes = Enumerable.Range(0, tensors).Select(i => parameters / tensors + (i < parameters % tensors ? 1 : 0)).ToList();
        var gradients = sizes.Select(n => ones(n)).ToList();
        var times = new List<double>();
        for (var i = 0; i < warmup + repeats; i++)
        {
            group.Any(false);   // start together, so a time is the reduction's, not a late process's
            var clock = Stopwatch.StartNew();
            group.SumInPlace(gradients);
            if (i >= warmup) times.Add(clock.Elapsed.TotalMilliseconds);
        }
        // Ones, summed over N processes r times, are N^r everywhere: a reduction that lost or mixed up a bucket shows.
        var expected = Math.Pow(group.Size, warmup + repeats);
        if (gradients.Any(g => g.ne(expected).any().item<bool>()))
            throw new InvalidOperationException($"the all-reduce gave wrong sums (expected {expected} everywhere)");
        times.Sort();
        var median = times[times.Count / 2];
        return new AllReduceRow(group.Size, parameters, tensors, median, parameters * 4 / (median / 1000) / 1e9);
    }
}
