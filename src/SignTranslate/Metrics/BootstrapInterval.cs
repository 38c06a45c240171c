namespace SignTranslate.Metrics;

/// <summary>
/// A bootstrap estimate of one corpus metric: the mean of the resampled scores and sacreBLEU's 95% interval, the
/// sorted resampled scores at indices ⌊n/40⌋ and n − ⌊n/40⌋ − 1. sacreBLEU prints it as μ ± (High − Low) / 2.
/// </summary>
public sealed record BootstrapInterval(double Mean, double Low, double High)
{
    /// <summary>Half the interval's width, the "± CI" sacreBLEU prints.</summary>
    public double HalfWidth => 0.5 * (High - Low);

    public static BootstrapInterval Of(IReadOnlyList<double> resampledScores)
    {
        if (resampledScores.Count == 0)
            throw new ArgumentException("No resampled scores.", nameof(resampledScores));
        var sorted = resampledScores.Order().ToArray();
        var lowerIndex = sorted.Length / 40;
        var upperIndex = sorted.Length - lowerIndex - 1;
        return new BootstrapInterval(sorted.Average(), sorted[lowerIndex], sorted[upperIndex]);
    }
}
