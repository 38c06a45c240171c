using System.Globalization;
using ScottPlot;

namespace SignTranslate.Metrics;

/// <summary>A PNG scatter plot of a 2-D projection of gloss instances, one colour per gloss.</summary>
public static class FeatureSpacePlot
{
    /// <summary>Above this many glosses the legend would cover the plot, so it is left out.</summary>
    public const int MaxLegendEntries = 20;

    /// <param name="path">PNG file to write.</param>
    /// <param name="projection">One point per instance.</param>
    /// <param name="glossOfInstance">The gloss of every point.</param>
    /// <param name="title">Plot title (e.g. the SDR and the feature tensor).</param>
    public static void WritePng(string path, Projection2D projection, IReadOnlyList<string> glossOfInstance, string title, int width = 900, int height = 700)
    {
        if (glossOfInstance.Count != projection.X.Length)
            throw new ArgumentException($"{projection.X.Length} points but {glossOfInstance.Count} glosses.", nameof(glossOfInstance));
        var glosses = glossOfInstance.Distinct().Order(StringComparer.Ordinal).ToArray();

        var plot = new Plot();
        for (var g = 0; g < glosses.Length; g++)
        {
            var rows = Enumerable.Range(0, glossOfInstance.Count).Where(row => glossOfInstance[row] == glosses[g]).ToArray();
            var markers = plot.Add.Markers(
                rows.Select(row => projection.X[row]).ToArray(),
                rows.Select(row => projection.Y[row]).ToArray(),
                MarkerShape.FilledCircle, 6, ColourOf(g));
            markers.LegendText = glosses.Length <= MaxLegendEntries ? glosses[g] : "";
        }
        plot.Title(title);
        plot.XLabel(string.Create(CultureInfo.InvariantCulture, $"PC 1 ({projection.ExplainedVariance1 * 100:F1}% of variance)"));
        plot.YLabel(string.Create(CultureInfo.InvariantCulture, $"PC 2 ({projection.ExplainedVariance2 * 100:F1}% of variance)"));
        if (glosses.Length <= MaxLegendEntries)
            plot.ShowLegend(Edge.Right);   // beside the axes, so it never hides points
        plot.SavePng(path, width, height);
    }

    // Golden-ratio steps around the hue circle keep neighbouring gloss indices far apart in colour for any count.
    private static Color ColourOf(int index) => Color.FromHSL((float)(index * 0.6180339887 % 1.0), 0.75f, 0.45f);
}
