using System.Runtime.CompilerServices;
using SignTranslate.Randomness;

namespace SignTranslate.Metrics;

/// <summary>
/// Paired bootstrap resampling (Koehn 2004) of corpus BLEU-4 and COCO ROUGE-L, following sacreBLEU 2.x's
/// <c>--paired-bs</c>: one set of resampled line indices is drawn once and shared by every system, so each
/// resample scores all systems on the same lines; a system's 95% interval is the 2.5th/97.5th order statistic
/// of its resampled scores; the p-value of a pair comes from the shifted distribution of resampled differences.
/// Per-line statistics are computed once; a resample only sums integers (BLEU) and doubles (ROUGE-L).
/// </summary>
public static class PairedBootstrap
{
    /// <summary>sacreBLEU's default seed (its <c>SACREBLEU_SEED</c> environment variable defaults to 12345).</summary>
    public const long DefaultSeed = 12345;

    /// <summary>sacreBLEU's default number of paired bootstrap resamples.</summary>
    public const int DefaultSamples = 1000;

    // Per line: SysLen, RefLen, Correct[1..4], Total[1..4].
    private const int StatisticsPerLine = 2 + 2 * NgramCounts.MaxOrder;

    /// <summary>
    /// Resamples <paramref name="samples"/> corpora of the same size as the input and scores every system on each.
    /// All systems must score the same number of lines against the same references.
    /// </summary>
    public static PairedBootstrapResult Run(IReadOnlyList<IReadOnlyList<SegmentScore>> systems, ScoringOptions options, int samples, long seed)
    {
        if (systems.Count == 0)
            throw new ArgumentException("At least one system is needed.", nameof(systems));
        if (samples < 1)
            throw new ArgumentOutOfRangeException(nameof(samples), samples, "At least one resample is needed.");
        var lines = systems[0].Count;
        if (lines == 0)
            throw new ArgumentException("Cannot resample an empty corpus.", nameof(systems));
        if (systems.Any(system => system.Count != lines))
            throw new ArgumentException("Every system must have the same number of lines.", nameof(systems));

        var bleuStatistics = systems.Select(FlattenBleuStatistics).ToArray();
        var rougeScores = systems.Select(system => system.Select(segment => segment.RougeL).ToArray()).ToArray();
        var resampledBleu = systems.Select(_ => new double[samples]).ToArray();
        var resampledRouge = systems.Select(_ => new double[samples]).ToArray();

        Resample(bleuStatistics, rougeScores, lines, seed, resampledBleu, resampledRouge);

        var scores = systems.Select(system => CorpusScore.FromSegments(system, options)).ToArray();
        var estimates = new SystemBootstrap[systems.Count];
        for (var system = 0; system < systems.Count; system++)
            estimates[system] = new SystemBootstrap(
                scores[system],
                BootstrapInterval.Of(resampledBleu[system]),
                BootstrapInterval.Of(resampledRouge[system]));

        var pairs = new List<PairedSignificance>();
        for (var a = 0; a < systems.Count; a++)
        {
            for (var b = a + 1; b < systems.Count; b++)
            {
                pairs.Add(new PairedSignificance(
                    a, b,
                    scores[b].Bleu4 - scores[a].Bleu4,
                    PValue(resampledBleu[a], resampledBleu[b], Math.Abs(scores[b].Bleu4 - scores[a].Bleu4)),
                    scores[b].RougeL - scores[a].RougeL,
                    PValue(resampledRouge[a], resampledRouge[b], Math.Abs(scores[b].RougeL - scores[a].RougeL))));
            }
        }
        return new PairedBootstrapResult(samples, seed, lines, estimates, pairs);
    }

    // The hot loop: one index draw per line and resample, shared by every system (the "paired" in paired bootstrap).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Resample(
        long[][] bleuStatistics, double[][] rougeScores, int lines, long seed, double[][] resampledBleu, double[][] resampledRouge)
    {
        var random = SplitMix64.For(seed, SplitMix64.Key("paired-bootstrap"));
        var indices = new int[lines];
        var sums = new long[StatisticsPerLine];
        for (var sample = 0; sample < resampledBleu[0].Length; sample++)
        {
            for (var i = 0; i < lines; i++)
                indices[i] = random.NextInt(0, lines - 1);
            for (var system = 0; system < bleuStatistics.Length; system++)
            {
                SumRows(bleuStatistics[system], indices, sums);
                resampledBleu[system][sample] = BleuScore.Compute(ToStatistics(sums), NgramCounts.MaxOrder).Score;
                resampledRouge[system][sample] = MeanPercent(rougeScores[system], indices);
            }
        }
    }

    /// <summary>
    /// sacreBLEU's paired-bootstrap p-value: the resampled absolute differences |b_i − a_i|, shifted to mean zero
    /// (the null hypothesis of no difference), are compared with the observed absolute difference;
    /// p = (#{shifted ≥ observed} + 1) / (n + 1). sacreBLEU counts with a strict &gt;, which gives two identical
    /// systems p = 1/(n+1), i.e. "significantly different" from themselves; ≥ gives them p = 1 and differs from
    /// sacreBLEU only at exact ties.
    /// </summary>
    public static double PValue(IReadOnlyList<double> resampledA, IReadOnlyList<double> resampledB, double observedAbsoluteDifference)
    {
        if (resampledA.Count != resampledB.Count || resampledA.Count == 0)
            throw new ArgumentException("Both systems need the same, non-zero number of resampled scores.");
        var differences = new double[resampledA.Count];
        var sum = 0.0;
        for (var i = 0; i < differences.Length; i++)
        {
            differences[i] = Math.Abs(resampledB[i] - resampledA[i]);
            sum += differences[i];
        }
        var mean = sum / differences.Length;
        var atLeastObserved = differences.Count(difference => difference - mean >= observedAbsoluteDifference);
        return (atLeastObserved + 1.0) / (differences.Length + 1.0);
    }

    private static long[] FlattenBleuStatistics(IReadOnlyList<SegmentScore> segments)
    {
        var flat = new long[segments.Count * StatisticsPerLine];
        for (var line = 0; line < segments.Count; line++)
        {
            var statistics = segments[line].Bleu;
            var row = line * StatisticsPerLine;
            flat[row] = statistics.SysLen;
            flat[row + 1] = statistics.RefLen;
            for (var order = 1; order <= NgramCounts.MaxOrder; order++)
            {
                flat[row + 1 + order] = statistics.Correct[order];
                flat[row + 1 + NgramCounts.MaxOrder + order] = statistics.Total[order];
            }
        }
        return flat;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SumRows(long[] flat, int[] indices, long[] sums)
    {
        Array.Clear(sums);
        foreach (var index in indices)
        {
            var row = index * StatisticsPerLine;
            for (var k = 0; k < StatisticsPerLine; k++)
                sums[k] += flat[row + k];
        }
    }

    private static BleuStatistics ToStatistics(long[] sums) => new(
        sums[0],
        sums[1],
        new NgramCounts(sums[2], sums[3], sums[4], sums[5]),
        new NgramCounts(sums[6], sums[7], sums[8], sums[9]));

    private static double MeanPercent(double[] values, int[] indices)
    {
        var sum = 0.0;
        foreach (var index in indices)
            sum += values[index];
        return sum / indices.Length * 100;
    }
}
