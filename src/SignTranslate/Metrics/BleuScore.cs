namespace SignTranslate.Metrics;

/// <summary>
/// sacreBLEU 2.x corpus BLEU for one maximum n-gram order (BLEU-1..BLEU-4), <c>exp</c> smoothing, effective
/// order off. Scores and precisions are in percent (0..100).
/// </summary>
/// <param name="MaxOrder">n of BLEU-n: the geometric mean runs over orders 1..n with uniform weights.</param>
/// <param name="Score">BLEU-n. A perfect match is 100.00000000000004, as in sacreBLEU.</param>
/// <param name="BrevityPenalty">exp(1 - ref_len/sys_len) when sys_len &lt; ref_len, 0 when sys_len is 0, else 1.</param>
/// <param name="Precisions">Smoothed n-gram precisions of orders 1..n, in percent.</param>
public sealed record BleuScore(int MaxOrder, double Score, double BrevityPenalty, IReadOnlyList<double> Precisions)
{
    // sacreBLEU's my_log(0): finite, so the exp of the mean underflows to exactly 0.
    private const double LogOfZero = -9999999999;

    public static BleuScore Compute(BleuStatistics statistics, int maxOrder)
    {
        if (maxOrder is < 1 or > NgramCounts.MaxOrder)
            throw new ArgumentOutOfRangeException(nameof(maxOrder), maxOrder, "BLEU order must be 1..4");
        var brevityPenalty = BrevityPenaltyOf(statistics.SysLen, statistics.RefLen);
        var precisions = new double[maxOrder];

        var anyMatch = false;
        for (var order = 1; order <= maxOrder; order++)
            anyMatch |= statistics.Correct[order] != 0;
        if (!anyMatch)
            return new BleuScore(maxOrder, 0.0, brevityPenalty, precisions);

        // exp smoothing: the k-th order without matches gets 100 / (2^k * total). An order without any hypothesis
        // n-gram stops the loop before smoothing, leaving it and every higher order at precision 0.
        var smoothing = 1.0;
        for (var order = 1; order <= maxOrder; order++)
        {
            var total = statistics.Total[order];
            if (total == 0)
                break;
            var correct = statistics.Correct[order];
            if (correct == 0)
            {
                smoothing *= 2;
                precisions[order - 1] = 100.0 / (smoothing * total);
            }
            else
            {
                precisions[order - 1] = 100.0 * correct / total;
            }
        }

        // Summed left to right from 0, as Python 3.11's sum() does, then divided: keeps sacreBLEU's last bit.
        var logSum = 0.0;
        foreach (var precision in precisions)
            logSum += precision == 0 ? LogOfZero : Math.Log(precision);
        var score = brevityPenalty * Math.Exp(logSum / maxOrder);
        return new BleuScore(maxOrder, score, brevityPenalty, precisions);
    }

    public static double BrevityPenaltyOf(long sysLen, long refLen)
    {
        if (sysLen >= refLen)
            return 1.0;
        return sysLen > 0 ? Math.Exp(1 - (double)refLen / sysLen) : 0.0;
    }
}
