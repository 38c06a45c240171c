using System.Globalization;
using System.Text;
using System.Text.Json;
using SignTranslate.Metrics;

namespace SignTranslate.Cli.Commands;

/// <summary>The two output formats of <c>slt compare</c>.</summary>
public static class CompareReport
{
    /// <summary>The conventional significance level the table marks with a star.</summary>
    public const double SignificanceLevel = 0.05;

    /// <summary>One JSON object (and a newline) with unrounded numbers.</summary>
    public static string Json(IReadOnlyList<string> files, PairedBootstrapResult result, ScoringOptions options)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("systems");
            for (var i = 0; i < result.Systems.Count; i++)
            {
                var system = result.Systems[i];
                writer.WriteStartObject();
                writer.WriteString("file", files[i]);
                writer.WriteNumber("bleu4", system.Score.Bleu4);
                writer.WriteNumber("bleu4_ci_low", system.Bleu4.Low);
                writer.WriteNumber("bleu4_ci_high", system.Bleu4.High);
                writer.WriteNumber("bleu4_mean", system.Bleu4.Mean);
                writer.WriteNumber("rouge_l", system.Score.RougeL);
                writer.WriteNumber("rouge_l_ci_low", system.RougeL.Low);
                writer.WriteNumber("rouge_l_ci_high", system.RougeL.High);
                writer.WriteNumber("rouge_l_mean", system.RougeL.Mean);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteStartArray("pairs");
            foreach (var pair in result.Pairs)
            {
                writer.WriteStartObject();
                writer.WriteString("a", files[pair.A]);
                writer.WriteString("b", files[pair.B]);
                writer.WriteNumber("p_value", pair.Bleu4PValue);
                writer.WriteNumber("bleu4_difference", pair.Bleu4Difference);
                writer.WriteNumber("rouge_l_difference", pair.RougeLDifference);
                writer.WriteNumber("rouge_l_p_value", pair.RougeLPValue);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteNumber("samples", result.Samples);
            writer.WriteNumber("seed", result.Seed);
            writer.WriteNumber("lines", result.Lines);
            writer.WriteString("tokenize", options.Tokenize.Name());
            writer.WriteBoolean("lowercase", options.Lowercase);
            writer.WriteString("preprocess", options.PreprocessName());
            writer.WriteString("signature", options.Signature());
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>
    /// One row per system (score, then bootstrap mean and 95% interval), one row per pair (B − A and the p-value,
    /// starred below 0.05), then the settings.
    /// </summary>
    public static string Table(IReadOnlyList<string> files, PairedBootstrapResult result, ScoringOptions options)
    {
        var text = new StringBuilder();
        var nameWidth = Math.Max("system".Length, files.Max(file => file.Length)) + 2;
        text.Append("system".PadRight(nameWidth)).Append("BLEU-4  mean   95% CI            ROUGE-L  mean   95% CI\n");
        for (var i = 0; i < result.Systems.Count; i++)
        {
            var system = result.Systems[i];
            text.Append(files[i].PadRight(nameWidth))
                .Append(Number(system.Score.Bleu4).PadLeft(6)).Append("  ").Append(Estimate(system.Bleu4))
                .Append("  ").Append(Number(system.Score.RougeL).PadLeft(7)).Append("  ").Append(Estimate(system.RougeL))
                .Append('\n');
        }
        if (result.Pairs.Count > 0)
        {
            text.Append('\n');
            foreach (var pair in result.Pairs)
            {
                text.Append(files[pair.B]).Append(" - ").Append(files[pair.A]).Append(":  ")
                    .Append("BLEU-4 ").Append(Signed(pair.Bleu4Difference)).Append(" (p = ").Append(PValue(pair.Bleu4PValue)).Append(")  ")
                    .Append("ROUGE-L ").Append(Signed(pair.RougeLDifference)).Append(" (p = ").Append(PValue(pair.RougeLPValue)).Append(")\n");
            }
            text.Append(CultureInfo.InvariantCulture, $"* p < {SignificanceLevel}: the difference is unlikely to come from the choice of test lines alone\n");
        }
        text.Append('\n')
            .Append(CultureInfo.InvariantCulture, $"paired bootstrap  {result.Samples} resamples of {result.Lines} lines, seed {result.Seed}\n")
            .Append("preprocess        ").Append(options.PreprocessName()).Append('\n')
            .Append("signature         ").Append(options.Signature()).Append('\n');
        return text.ToString();
    }

    private static string Estimate(BootstrapInterval interval) =>
        $"{Number(interval.Mean),5}  [{Number(interval.Low),6}, {Number(interval.High),6}]";

    private static string Number(double value) => value.ToString("F2", CultureInfo.InvariantCulture);

    private static string Signed(double value) => value.ToString("+0.00;-0.00;0.00", CultureInfo.InvariantCulture);

    private static string PValue(double p) =>
        p.ToString("F4", CultureInfo.InvariantCulture) + (p < SignificanceLevel ? "*" : "");
}
