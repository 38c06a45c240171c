using System.Text.Json;
using SignTranslate.Files;

namespace SignTranslate.Metrics;

/// <summary>
/// Reads the scores of one finished run of a reproduction row: <c>slt eval</c>'s <c>report.json</c> (BLEU-1..4,
/// ROUGE-L) and, when present, <c>slt density</c>'s <c>density.json</c> (SDR).
/// </summary>
public static class ReproductionRunReader
{
    /// <param name="evalReport">A <c>report.json</c> with <c>bleu1</c>..<c>bleu4</c> and <c>rouge_l</c>.</param>
    /// <param name="densityReport">A <c>density.json</c> with <c>sdr</c>, or null when the SDR was not measured.</param>
    /// <exception cref="InputException">A file is missing, is not JSON, or lacks a number.</exception>
    public static SystemScores Read(string evalReport, string? densityReport)
    {
        using var report = Parse(evalReport);
        double? sdr = null;
        if (densityReport is not null)
        {
            using var density = Parse(densityReport);
            sdr = Number(density.RootElement, "sdr", densityReport);
        }
        var root = report.RootElement;
        return new SystemScores(
            sdr,
            Number(root, "rouge_l", evalReport),
            Number(root, "bleu1", evalReport),
            Number(root, "bleu2", evalReport),
            Number(root, "bleu3", evalReport),
            Number(root, "bleu4", evalReport));
    }

    /// <summary>
    /// The scores of every run of a row: the folders under <paramref name="rowFolder"/> (one per seed, in name order)
    /// that hold <c>eval/report.json</c>, with <c>density/density.json</c> where present; empty when the row has none.
    /// </summary>
    public static IReadOnlyList<SystemScores> ReadRow(string rowFolder) => !Directory.Exists(rowFolder)
        ? []
        : Directory.GetDirectories(rowFolder).Order(StringComparer.Ordinal)
            .Where(run => File.Exists(Path.Combine(run, "eval", "report.json")))
            .Select(run =>
            {
                var density = Path.Combine(run, "density", "density.json");
                return Read(Path.Combine(run, "eval", "report.json"), File.Exists(density) ? density : null);
            })
            .ToList();

    /// <summary>
    /// The BLEU-4 and ROUGE-L p-values of <paramref name="systemFile"/> against <paramref name="baselineFile"/> in the
    /// JSON that <c>slt compare --json</c> printed (pairs are unordered there).
    /// </summary>
    /// <exception cref="InputException">The file is unreadable or holds no such pair.</exception>
    public static (double Bleu4, double RougeL) PValues(string compareJson, string baselineFile, string systemFile)
    {
        using var document = Parse(compareJson);
        if (document.RootElement.TryGetProperty("pairs", out var pairs) && pairs.ValueKind == JsonValueKind.Array)
            foreach (var pair in pairs.EnumerateArray())
            {
                var a = pair.GetProperty("a").GetString();
                var b = pair.GetProperty("b").GetString();
                if ((a == baselineFile && b == systemFile) || (a == systemFile && b == baselineFile))
                    return (Number(pair, "p_value", compareJson), Number(pair, "rouge_l_p_value", compareJson));
            }
        throw new InputException($"{compareJson}: no pair of '{baselineFile}' and '{systemFile}' in 'pairs'");
    }

    private static JsonDocument Parse(string path)
    {
        var text = UserFiles.ReadAllText(path);
        try
        {
            return JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            throw new InputException($"{path}: not valid JSON ({e.Message})");
        }
    }

    private static double Number(JsonElement element, string name, string path) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
            ? value.GetDouble()
            : throw new InputException($"{path}: expected a number '{name}'");
}
