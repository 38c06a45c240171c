using System.Globalization;
using System.Text;

namespace SignTranslate.Metrics;

/// <summary>
/// Writes the per-gloss values of a <see cref="SignDensityResult"/> as CSV (RFC 4180 quoting, invariant culture,
/// round-trip numbers): <c>gloss,instances,intra,inter,sdr</c>, where <c>sdr</c> is the gloss's ratio in percent.
/// </summary>
public static class SignDensityCsv
{
    public const string Header = "gloss,instances,intra,inter,sdr";

    public static void Write(TextWriter writer, SignDensityResult result)
    {
        writer.Write(Header + "\n");
        foreach (var gloss in result.PerGloss)
        {
            writer.Write(string.Join(',',
                Quote(gloss.Gloss),
                gloss.Instances.ToString(CultureInfo.InvariantCulture),
                Number(gloss.Intra),
                Number(gloss.Inter),
                Number(gloss.Ratio * 100)));
            writer.Write('\n');
        }
    }

    public static void Write(string path, SignDensityResult result)
    {
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        Write(writer, result);
    }

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    // Glosses of real corpora can hold commas or quotes (Phoenix has none, but alignment files are user-written).
    private static string Quote(string field) =>
        field.IndexOfAny([',', '"', '\n', '\r']) < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
