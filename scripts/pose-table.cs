#:project ../src/SignTranslate/SignTranslate.csproj
// The table of scripts/reproduce-pose.sh: one row per model input (rgb, pose, rgb-pose, rgb-pose-gated), mean ± sample std over the
// seeds of SDR, ROUGE-L and BLEU-1..4 on the test split, and each row's paired-bootstrap p-values against rgb. Usage:
//   dotnet run scripts/pose-table.cs -- --runs OUT --compare OUT/compare.json [--conclusion FILE]
// --conclusion writes one Markdown line per row against RGB: the BLEU-4 change, its p-value and whether it is significant.
// Reads OUT/<row>/seed-*/eval/report.json (slt eval) and, when present, OUT/<row>/seed-*/density/density.json.
using System.Globalization;
using SignTranslate;
using SignTranslate.Metrics;

string? runsFolder = null, compareJson = null, conclusionPath = null;
for (var i = 0; i < args.Length; i++)
{
    string Value() => i + 1 < args.Length ? args[++i] : throw new InputException($"{args[i]} needs a value");
    switch (args[i])
    {
        case "--runs": runsFolder = Value(); break;
        case "--compare": compareJson = Value(); break;
        case "--conclusion": conclusionPath = Value(); break;
        default: Console.Error.WriteLine($"pose-table: unknown argument '{args[i]}'"); return 2;
    }
}
if (runsFolder is null || compareJson is null)
{
    Console.Error.WriteLine("pose-table: --runs and --compare are required");
    return 2;
}

(string Key, string Name)[] rows =
[
    ("rgb", "RGB (`model.input: rgb`)"), ("pose", "pose only (`pose`)"), ("rgb-pose", "RGB + pose (`rgb+pose`, `fusion: sum`)"),
    ("rgb-pose-gated", "RGB + pose (`rgb+pose`, `fusion: gated`)"),
];
static string F(double v) => v.ToString("F2", CultureInfo.InvariantCulture);
static string Cell(SeedStatistic? s) => s is null ? "–" : s.StandardDeviation is { } std ? $"{F(s.Mean)} ± {F(std)}" : F(s.Mean);

try
{
    Console.WriteLine("| input | seeds | SDR ↓ | ROUGE-L | BLEU-1 | BLEU-2 | BLEU-3 | BLEU-4 | p (BLEU-4 / ROUGE-L vs RGB) |");
    Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
    var conclusion = new List<string>();
    SeedStatistic? rgbBleu4 = null;
    foreach (var (key, name) in rows)
    {
        var runs = ReproductionRunReader.ReadRow(Path.Combine(runsFolder, key));
        if (runs.Count == 0) continue;
        SeedStatistic? Of(Func<SystemScores, double> metric) => SeedStatistic.Of(runs.Select(metric).ToList());
        var p = "–";
        if (key == "rgb") rgbBleu4 = Of(r => r.Bleu4);
        else
        {
            var (bleu4, rougeL) = ReproductionRunReader.PValues(compareJson, "rgb/hypotheses.txt", $"{key}/hypotheses.txt");
            p = $"{bleu4.ToString("F3", CultureInfo.InvariantCulture)}{(bleu4 < 0.05 ? "*" : "")} / {rougeL.ToString("F3", CultureInfo.InvariantCulture)}{(rougeL < 0.05 ? "*" : "")}";
            if (rgbBleu4 is not null && Of(r => r.Bleu4) is { } own)
            {
                var delta = own.Mean - rgbBleu4.Mean;
                conclusion.Add($"- {name}: BLEU-4 {F(rgbBleu4.Mean)} → {F(own.Mean)} ({(delta >= 0 ? "+" : "−")}{F(Math.Abs(delta))} against RGB, " +
                    $"p = {bleu4.ToString("F3", CultureInfo.InvariantCulture)}: {(bleu4 < 0.05 ? "significant" : "not significant")} at 0.05).");
            }
        }
        var sdr = SeedStatistic.Of(runs.Where(r => r.Sdr.HasValue).Select(r => r.Sdr!.Value).ToList());
        Console.WriteLine($"| {name} | {runs.Count} | {Cell(sdr)} | {Cell(Of(r => r.RougeL))} | {Cell(Of(r => r.Bleu1))} | {Cell(Of(r => r.Bleu2))} | " +
            $"{Cell(Of(r => r.Bleu3))} | {Cell(Of(r => r.Bleu4))} | {p} |");
    }
    // Beyond RGB: does RGB add to pose, and which fusion is better?
    foreach (var (system, against) in new[] { ("rgb-pose", "pose"), ("rgb-pose-gated", "rgb-pose") })
    {
        var mine = ReproductionRunReader.ReadRow(Path.Combine(runsFolder, system));
        var theirs = ReproductionRunReader.ReadRow(Path.Combine(runsFolder, against));
        if (mine.Count == 0 || theirs.Count == 0) continue;
        var (bleu4, _) = ReproductionRunReader.PValues(compareJson, $"{against}/hypotheses.txt", $"{system}/hypotheses.txt");
        var delta = mine.Average(r => r.Bleu4) - theirs.Average(r => r.Bleu4);
        conclusion.Add($"- {rows.First(r => r.Key == system).Name} against {rows.First(r => r.Key == against).Name}: BLEU-4 " +
            $"{(delta >= 0 ? "+" : "−")}{F(Math.Abs(delta))}, p = {bleu4.ToString("F3", CultureInfo.InvariantCulture)}: {(bleu4 < 0.05 ? "significant" : "not significant")} at 0.05.");
    }
    if (conclusionPath is not null) File.WriteAllLines(conclusionPath, conclusion);
    return 0;
}
catch (InputException e)
{
    Console.Error.WriteLine($"pose-table: {e.Message}");
    return 2;
}
