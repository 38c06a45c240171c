using System.Globalization;
using System.Text.Json;
using SignTranslate.Metrics;

namespace SignTranslate.Cli.Commands;

/// <summary>The two output formats of <c>slt score</c>.</summary>
public static class ScoreReport
{
    /// <summary>One JSON object (and a newline) with unrounded numbers.</summary>
    public static string Json(CorpusScore score)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("bleu1", score.Bleu1);
            writer.WriteNumber("bleu2", score.Bleu2);
            writer.WriteNumber("bleu3", score.Bleu3);
            writer.WriteNumber("bleu4", score.Bleu4);
            writer.WriteNumber("rouge_l", score.RougeL);
            writer.WriteNumber("bp", score.BrevityPenalty);
            writer.WriteNumber("sys_len", score.Statistics.SysLen);
            writer.WriteNumber("ref_len", score.Statistics.RefLen);
            WriteArray(writer, "counts", score.Statistics.Correct.ToArray());
            WriteArray(writer, "totals", score.Statistics.Total.ToArray());
            writer.WriteStartArray("precisions");
            foreach (var precision in score.Precisions)
                writer.WriteNumberValue(precision);
            writer.WriteEndArray();
            writer.WriteNumber("lines", score.Segments);
            writer.WriteString("tokenize", score.Options.Tokenize.Name());
            writer.WriteBoolean("lowercase", score.Options.Lowercase);
            writer.WriteString("preprocess", score.Options.PreprocessName());
            writer.WriteString("signature", score.Signature);
            writer.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>A small aligned table, two decimals like sacreBLEU, plus the signature.</summary>
    public static string Table(CorpusScore score)
    {
        var stats = score.Statistics;
        var ratio = stats.RefLen == 0 ? 0.0 : (double)stats.SysLen / stats.RefLen;
        var precisions = string.Join('/', score.Precisions.Select(p => p.ToString("F1", CultureInfo.InvariantCulture)));
        var rows = new (string Label, string Value)[]
        {
            ("BLEU-1", Percent(score.Bleu1)),
            ("BLEU-2", Percent(score.Bleu2)),
            ("BLEU-3", Percent(score.Bleu3)),
            ("BLEU-4", Percent(score.Bleu4)),
            ("ROUGE-L", Percent(score.RougeL)),
            ("BP", string.Create(CultureInfo.InvariantCulture, $"{score.BrevityPenalty:F3} (ratio {ratio:F3})")),
            ("sys/ref len", $"{stats.SysLen} / {stats.RefLen}"),
            ("precisions", precisions),
            ("lines", score.Segments.ToString(CultureInfo.InvariantCulture)),
            ("preprocess", score.Options.PreprocessName()),
            ("signature", score.Signature),
        };
        var width = rows.Max(row => row.Label.Length) + 2;
        return string.Concat(rows.Select(row => row.Label.PadRight(width) + row.Value + "\n"));
    }

    private static string Percent(double value) => value.ToString("F2", CultureInfo.InvariantCulture);

    private static void WriteArray(Utf8JsonWriter writer, string name, long[] values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
            writer.WriteNumberValue(value);
        writer.WriteEndArray();
    }
}
