namespace SignTranslate.Metrics;

/// <summary>One integer per n-gram order 1..4 (clipped matches or hypothesis n-gram totals). Summable.</summary>
public readonly record struct NgramCounts(long Order1, long Order2, long Order3, long Order4)
{
    public const int MaxOrder = 4;

    public static NgramCounts Zero => default;

    /// <summary>The count of n-gram order <paramref name="order"/> (1-based).</summary>
    public long this[int order] => order switch
    {
        1 => Order1,
        2 => Order2,
        3 => Order3,
        4 => Order4,
        _ => throw new ArgumentOutOfRangeException(nameof(order), order, "n-gram order must be 1..4"),
    };

    public static NgramCounts FromArray(IReadOnlyList<long> counts) =>
        counts.Count == MaxOrder
            ? new NgramCounts(counts[0], counts[1], counts[2], counts[3])
            : throw new ArgumentException($"Expected {MaxOrder} counts, got {counts.Count}.", nameof(counts));

    /// <summary>Orders 1..<paramref name="maxOrder"/> as an array.</summary>
    public long[] ToArray(int maxOrder = MaxOrder)
    {
        var values = new long[maxOrder];
        for (var order = 1; order <= maxOrder; order++)
            values[order - 1] = this[order];
        return values;
    }

    public static NgramCounts operator +(NgramCounts a, NgramCounts b) =>
        new(a.Order1 + b.Order1, a.Order2 + b.Order2, a.Order3 + b.Order3, a.Order4 + b.Order4);

    public override string ToString() => $"{Order1}/{Order2}/{Order3}/{Order4}";
}
