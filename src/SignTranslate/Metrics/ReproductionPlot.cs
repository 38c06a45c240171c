using System.Globalization;
using ScottPlot;

namespace SignTranslate.Metrics;

/// <summary>
/// A PNG scatter plot of SDR (x) against BLEU-4 (y) for the rows of a <see cref="ReproductionTable"/>: one small
/// marker per run (seed), one large marker per row mean, one colour per row. The paper's claim is a move to the upper
/// left (lower SDR, higher BLEU-4).
/// </summary>
public static class ReproductionPlot
{
    private static readonly Color[] RowColours =
        [Color.FromHex("#4c72b0"), Color.FromHex("#dd8452"), Color.FromHex("#55a868"), Color.FromHex("#c44e52")];

    /// <exception cref="InputException">No run of any row has an SDR.</exception>
    public static void WritePng(string path, ReproductionTable table, string title, int width = 800, int height = 600)
    {
        if (!table.Rows.Any(row => row.Runs.Any(run => run.Sdr.HasValue)))
            throw new InputException("no run has an SDR (density.json) to plot");

        var plot = new Plot();
        foreach (var row in table.Rows)
        {
            var colour = RowColours[(int)row.Row % RowColours.Length];
            var runs = row.Runs.Where(run => run.Sdr.HasValue).ToArray();
            if (runs.Length == 0) continue;
            var seeds = plot.Add.Markers(
                runs.Select(run => run.Sdr!.Value).ToArray(), runs.Select(run => run.Bleu4).ToArray(),
                MarkerShape.OpenCircle, 8, colour);
            seeds.LegendText = "";
            double[] meanSdr = [runs.Average(run => run.Sdr!.Value)];
            double[] meanBleu4 = [runs.Average(run => run.Bleu4)];
            var mean = plot.Add.Markers(meanSdr, meanBleu4, MarkerShape.FilledDiamond, 16, colour);
            mean.LegendText = string.Create(CultureInfo.InvariantCulture, $"{row.Row.Label()} (mean of {runs.Length})");
        }
        plot.Title(title);
        plot.XLabel("SDR (%, lower = glosses better separated)");
        plot.YLabel("BLEU-4 (test)");
        plot.ShowLegend(Edge.Bottom);
        plot.SavePng(path, width, height);
    }
}
