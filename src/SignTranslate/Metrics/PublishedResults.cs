namespace SignTranslate.Metrics;

/// <summary>The scores of one system on one test set; SDR is absent where it was not measured.</summary>
public sealed record SystemScores(double? Sdr, double RougeL, double Bleu1, double Bleu2, double Bleu3, double Bleu4);

/// <summary>
/// The SignCL paper's test-set numbers for the four reproduction rows (docs/reference.md#s9.1 = SignCL README
/// maintable = paper Table 3 for CSL-Daily, docs/reference.md#s9.2 = paper Table 2 for Phoenix-2014T).
/// </summary>
public static class PublishedResults
{
    public const string CslDaily = "csl-daily";
    public const string Phoenix2014T = "phoenix2014t";

    private static readonly Dictionary<(string Dataset, ReproductionRow Row), SystemScores> Table = new()
    {
        [(CslDaily, ReproductionRow.Baseline)] = new(58.20, 39.08, 36.37, 23.32, 15.45, 11.10),
        [(CslDaily, ReproductionRow.SignClPretraining)] = new(55.24, 47.38, 46.20, 32.33, 22.35, 15.85),
        [(CslDaily, ReproductionRow.SignClFinetuning)] = new(55.03, 48.26, 46.53, 32.41, 22.42, 15.98),
        [(CslDaily, ReproductionRow.SignClBoth)] = new(54.61, 48.92, 47.47, 32.53, 22.62, 16.16),
        [(Phoenix2014T, ReproductionRow.Baseline)] = new(68.53, 42.97, 42.13, 32.04, 25.62, 21.25),
        [(Phoenix2014T, ReproductionRow.SignClPretraining)] = new(62.68, 49.25, 49.99, 36.73, 29.76, 22.69),
        [(Phoenix2014T, ReproductionRow.SignClFinetuning)] = new(62.73, 48.17, 48.56, 35.04, 27.73, 22.16),
        // Table 2's R@L; Table 8 prints 49.23 for the same row (an inconsistency of the paper, docs/reference.md#s9.2).
        [(Phoenix2014T, ReproductionRow.SignClBoth)] = new(62.32, 49.04, 49.76, 36.85, 29.97, 22.74),
    };

    /// <summary>The published scores of a row, or null for a dataset the paper does not cover (e.g. synthetic).</summary>
    public static SystemScores? For(string dataset, ReproductionRow row) =>
        Table.TryGetValue((dataset, row), out var scores) ? scores : null;

    /// <summary>Where the numbers come from, for the table's caption.</summary>
    public static string? Source(string dataset) => dataset switch
    {
        CslDaily => "SignCL paper Table 3 (= SignCL README main table), CSL-Daily test",
        Phoenix2014T => "SignCL paper Table 2, Phoenix-2014T test",
        _ => null,
    };
}
