namespace SignTranslate.Metrics;

/// <summary>The four systems of the paper's main tables (docs/reference.md#s9): where SignCL is switched on.</summary>
public enum ReproductionRow
{
    /// <summary>GFSLT-VLP as re-trained by the SignCL authors: no SignCL in either stage.</summary>
    Baseline,

    /// <summary>SignCL in the VLP pretraining stage only.</summary>
    SignClPretraining,

    /// <summary>SignCL in the translation finetuning stage only.</summary>
    SignClFinetuning,

    /// <summary>SignCL in both stages.</summary>
    SignClBoth,
}

public static class ReproductionRows
{
    public static IReadOnlyList<ReproductionRow> All { get; } =
        [ReproductionRow.Baseline, ReproductionRow.SignClPretraining, ReproductionRow.SignClFinetuning, ReproductionRow.SignClBoth];

    /// <summary>The key the scripts use for the row's folder and on the command line.</summary>
    public static string Key(this ReproductionRow row) => row switch
    {
        ReproductionRow.Baseline => "baseline",
        ReproductionRow.SignClPretraining => "signcl-pretrain",
        ReproductionRow.SignClFinetuning => "signcl-finetune",
        ReproductionRow.SignClBoth => "signcl-both",
        _ => throw new ArgumentOutOfRangeException(nameof(row)),
    };

    /// <summary>The row's name in the paper's tables.</summary>
    public static string Label(this ReproductionRow row) => row switch
    {
        ReproductionRow.Baseline => "GFSLT-VLP",
        ReproductionRow.SignClPretraining => "+ SignCL in pretraining",
        ReproductionRow.SignClFinetuning => "+ SignCL in finetuning",
        ReproductionRow.SignClBoth => "+ SignCL in both",
        _ => throw new ArgumentOutOfRangeException(nameof(row)),
    };

    /// <exception cref="InputException">Not one of the four keys.</exception>
    public static ReproductionRow Parse(string key)
    {
        foreach (var row in All)
            if (row.Key() == key)
                return row;
        throw new InputException($"unknown row '{key}' (expected one of: {string.Join(", ", All.Select(r => r.Key()))})");
    }
}
