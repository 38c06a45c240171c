using System.Globalization;
using System.Text;
using System.Text.Json;

namespace SignTranslate.Metrics;

/// <summary>A mean over runs (seeds) with its sample standard deviation (null for a single run) and the values.</summary>
public sealed record SeedStatistic(double Mean, double? StandardDeviation, IReadOnlyList<double> Values)
{
    public static SeedStatistic? Of(IReadOnlyList<double> values)
    {
        if (values.Count == 0) return null;
        var mean = values.Average();
        double? std = values.Count < 2 ? null : Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
        return new SeedStatistic(mean, std, values);
    }
}

/// <summary>One row of the reproduction table: our runs (one per seed), the paper's numbers and the significance.</summary>
/// <param name="PValueBleu4">Paired bootstrap p-value of BLEU-4 against the baseline row (null for the baseline).</param>
/// <param name="PValueRougeL">The same for ROUGE-L.</param>
public sealed record ReproductionTableRow(
    ReproductionRow Row,
    IReadOnlyList<SystemScores> Runs,
    SystemScores? Published,
    double? PValueBleu4 = null,
    double? PValueRougeL = null)
{
    public SeedStatistic? Sdr => SeedStatistic.Of(Runs.Where(r => r.Sdr.HasValue).Select(r => r.Sdr!.Value).ToList());
    public SeedStatistic RougeL => SeedStatistic.Of(Runs.Select(r => r.RougeL).ToList())!;
    public SeedStatistic Bleu1 => SeedStatistic.Of(Runs.Select(r => r.Bleu1).ToList())!;
    public SeedStatistic Bleu2 => SeedStatistic.Of(Runs.Select(r => r.Bleu2).ToList())!;
    public SeedStatistic Bleu3 => SeedStatistic.Of(Runs.Select(r => r.Bleu3).ToList())!;
    public SeedStatistic Bleu4 => SeedStatistic.Of(Runs.Select(r => r.Bleu4).ToList())!;
}

/// <summary>
/// The paper's four-row table (SDR, ROUGE-L, BLEU-1..4) for our runs beside the published numbers, as Markdown and
/// JSON.
/// </summary>
/// <param name="Dataset">Dataset name (<see cref="PublishedResults.CslDaily"/>, <see cref="PublishedResults.Phoenix2014T"/>, or another).</param>
/// <param name="SignificanceNote">How the p-values were obtained (which outputs were compared), printed under the table.</param>
public sealed record ReproductionTable(string Dataset, IReadOnlyList<ReproductionTableRow> Rows, string? SignificanceNote = null)
{
    /// <exception cref="InputException">No rows, a row without runs, or a row given twice.</exception>
    public static ReproductionTable Create(string dataset, IReadOnlyList<ReproductionTableRow> rows, string? significanceNote = null)
    {
        if (rows.Count == 0) throw new InputException("the table needs at least one row");
        foreach (var row in rows.Where(r => r.Runs.Count == 0))
            throw new InputException($"row '{row.Row.Key()}' has no runs");
        foreach (var group in rows.GroupBy(r => r.Row).Where(g => g.Count() > 1))
            throw new InputException($"row '{group.Key.Key()}' is given more than once");
        return new ReproductionTable(dataset, rows.OrderBy(r => r.Row).ToList(), significanceNote);
    }

    public int MaxRuns => Rows.Max(r => r.Runs.Count);

    public string ToMarkdown()
    {
        var text = new StringBuilder();
        var seeds = MaxRuns;
        text.Append(CultureInfo.InvariantCulture,
            $"Test set of `{Dataset}`; ours: {(seeds == 1 ? "one run per row" : $"mean ± sample std over {seeds} seeds")}.\n\n");
        var hasPValues = Rows.Any(r => r.PValueBleu4.HasValue);
        text.Append("| system | source | SDR ↓ | ROUGE-L | BLEU-1 | BLEU-2 | BLEU-3 | BLEU-4 |");
        text.Append(hasPValues ? " p (BLEU-4 / ROUGE-L vs baseline) |\n" : "\n");
        text.Append("|---|---|---|---|---|---|---|---|");
        text.Append(hasPValues ? "---|\n" : "\n");
        foreach (var row in Rows)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"| {row.Row.Label()} | ours | {Cell(row.Sdr)} | {Cell(row.RougeL)} | {Cell(row.Bleu1)} | {Cell(row.Bleu2)} | {Cell(row.Bleu3)} | {Cell(row.Bleu4)} |");
            if (hasPValues)
                text.Append(row.PValueBleu4 is { } b4 && row.PValueRougeL is { } rl ? $" {P(b4)} / {P(rl)} |" : " – |");
            text.Append('\n');
            if (row.Published is { } paper)
            {
                text.Append(CultureInfo.InvariantCulture,
                    $"| {row.Row.Label()} | paper | {Fixed(paper.Sdr)} | {Fixed(paper.RougeL)} | {Fixed(paper.Bleu1)} | {Fixed(paper.Bleu2)} | {Fixed(paper.Bleu3)} | {Fixed(paper.Bleu4)} |");
                text.Append(hasPValues ? " |\n" : "\n");
            }
        }
        if (PublishedResults.Source(Dataset) is { } source)
            text.Append(CultureInfo.InvariantCulture, $"\nPaper: {source}.\n");
        if (hasPValues)
            text.Append("\n\\* p < 0.05 (paired bootstrap resampling of the test lines, `slt compare`).\n");
        if (SignificanceNote is not null)
            text.Append(CultureInfo.InvariantCulture, $"{(hasPValues ? "" : "\n")}{SignificanceNote}\n");
        return text.ToString();
    }

    /// <summary>
    /// A plain statement of what the runs show, row by row against the baseline: whether SignCL lowered the mean SDR,
    /// whether it raised the mean BLEU-4, and whether the BLEU-4 difference is significant at p &lt; 0.05. It reports
    /// the measurement only; it does not explain it.
    /// </summary>
    public string Conclusion()
    {
        var baseline = Rows.FirstOrDefault(r => r.Row == ReproductionRow.Baseline);
        if (baseline is null) return "No baseline row, so no comparison.";
        var text = new StringBuilder();
        int lowerSdr = 0, higherBleu = 0, significantGain = 0, compared = 0;
        foreach (var row in Rows.Where(r => r.Row != ReproductionRow.Baseline))
        {
            compared++;
            var bleuDelta = row.Bleu4.Mean - baseline.Bleu4.Mean;
            if (bleuDelta > 0) higherBleu++;
            var significant = row.PValueBleu4 is { } p && p < CompareSignificanceLevel;
            if (significant && bleuDelta > 0) significantGain++;
            text.Append(CultureInfo.InvariantCulture, $"- {row.Row.Label()}: ");
            if (row.Sdr is { } sdr && baseline.Sdr is { } baseSdr)
            {
                var sdrDelta = sdr.Mean - baseSdr.Mean;
                if (sdrDelta < 0) lowerSdr++;
                text.Append(CultureInfo.InvariantCulture,
                    $"SDR {Fixed(baseSdr.Mean)} → {Fixed(sdr.Mean)} ({(sdrDelta < 0 ? "lower" : "not lower")}, {Signed(sdrDelta)}); ");
            }
            text.Append(CultureInfo.InvariantCulture,
                $"BLEU-4 {Fixed(baseline.Bleu4.Mean)} → {Fixed(row.Bleu4.Mean)} ({Signed(bleuDelta)}");
            text.Append(row.PValueBleu4 is { } pValue
                ? string.Create(CultureInfo.InvariantCulture, $", p = {pValue:F3}: {(significant ? "significant" : "not significant")} at 0.05)")
                : ", no significance test)");
            text.Append(".\n");
        }
        var summary = new StringBuilder();
        if (Rows.Any(r => r.Sdr is not null))
            summary.Append(CultureInfo.InvariantCulture, $"SignCL lowered the mean SDR in {lowerSdr} of {compared} rows, ");
        summary.Append(CultureInfo.InvariantCulture,
            $"raised the mean BLEU-4 in {higherBleu} of {compared} rows, and the BLEU-4 gain is significant (p < 0.05) in {significantGain} of {compared}.\n\n");
        return summary.Append(text).ToString();
    }

    private static string Signed(double value) =>
        (value >= 0 ? "+" : "−") + Math.Abs(value).ToString("F2", CultureInfo.InvariantCulture);

    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("dataset", Dataset);
            writer.WriteNumber("seeds", MaxRuns);
            if (PublishedResults.Source(Dataset) is { } source) writer.WriteString("paper_source", source);
            else writer.WriteNull("paper_source");
            if (SignificanceNote is not null) writer.WriteString("significance", SignificanceNote);
            writer.WriteStartArray("rows");
            foreach (var row in Rows)
            {
                writer.WriteStartObject();
                writer.WriteString("row", row.Row.Key());
                writer.WriteString("label", row.Row.Label());
                writer.WriteNumber("runs", row.Runs.Count);
                writer.WriteStartObject("ours");
                WriteStatistic(writer, "sdr", row.Sdr);
                WriteStatistic(writer, "rouge_l", row.RougeL);
                WriteStatistic(writer, "bleu1", row.Bleu1);
                WriteStatistic(writer, "bleu2", row.Bleu2);
                WriteStatistic(writer, "bleu3", row.Bleu3);
                WriteStatistic(writer, "bleu4", row.Bleu4);
                writer.WriteEndObject();
                if (row.Published is { } paper)
                {
                    writer.WriteStartObject("paper");
                    if (paper.Sdr is { } sdr) writer.WriteNumber("sdr", sdr); else writer.WriteNull("sdr");
                    writer.WriteNumber("rouge_l", paper.RougeL);
                    writer.WriteNumber("bleu1", paper.Bleu1);
                    writer.WriteNumber("bleu2", paper.Bleu2);
                    writer.WriteNumber("bleu3", paper.Bleu3);
                    writer.WriteNumber("bleu4", paper.Bleu4);
                    writer.WriteEndObject();
                }
                else
                {
                    writer.WriteNull("paper");
                }
                WriteOptional(writer, "p_value_bleu4_vs_baseline", row.PValueBleu4);
                WriteOptional(writer, "p_value_rouge_l_vs_baseline", row.PValueRougeL);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void WriteStatistic(Utf8JsonWriter writer, string name, SeedStatistic? statistic)
    {
        if (statistic is null)
        {
            writer.WriteNull(name);
            return;
        }
        writer.WriteStartObject(name);
        writer.WriteNumber("mean", statistic.Mean);
        WriteOptional(writer, "std", statistic.StandardDeviation);
        writer.WriteStartArray("values");
        foreach (var value in statistic.Values) writer.WriteNumberValue(value);
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteOptional(Utf8JsonWriter writer, string name, double? value)
    {
        if (value is { } v) writer.WriteNumber(name, v);
        else writer.WriteNull(name);
    }

    private static string Cell(SeedStatistic? statistic) => statistic switch
    {
        null => "–",
        { StandardDeviation: { } std } => $"{Fixed(statistic.Mean)} ± {Fixed(std)}",
        _ => Fixed(statistic.Mean),
    };

    private static string Fixed(double? value) => value is { } v ? v.ToString("F2", CultureInfo.InvariantCulture) : "–";

    private static string P(double p) =>
        p.ToString("F3", CultureInfo.InvariantCulture) + (p < CompareSignificanceLevel ? "*" : "");

    private const double CompareSignificanceLevel = 0.05;
}
