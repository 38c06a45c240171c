#:project ../src/SignTranslate/SignTranslate.csproj
// Builds the reproduction table (SDR, ROUGE-L, BLEU-1..4, ours beside the paper's) from the run folders the
// scripts/reproduce-*.sh scripts write. Usage:
//   dotnet run scripts/reproduction-table.cs -- --dataset csl-daily|phoenix2014t|synthetic --runs OUT
//       [--compare OUT/compare.json] [--md FILE] [--json FILE] [--png FILE] [--note TEXT] [--conclusion FILE]
// Layout read under OUT: <row>/<run>/eval/report.json (slt eval) and, optionally, <row>/<run>/density/density.json
// (slt density), for the rows baseline, signcl-pretrain, signcl-finetune, signcl-both; <run> is one folder per seed.
// --compare: the JSON of `slt compare --json`, run inside OUT with --hyp <row>/hypotheses.txt, gives each row's
// p-values against the baseline. Writes Markdown to --md (default stdout), JSON to --json, the SDR/BLEU-4 plot to --png,
// and to --conclusion a Markdown statement of what the numbers show (SDR lower? BLEU-4 higher? significant?).
using SignTranslate;
using SignTranslate.Metrics;

string? dataset = null, runsFolder = null, compareJson = null, markdownPath = null, jsonPath = null, pngPath = null, note = null,
    conclusionPath = null;
for (var i = 0; i < args.Length; i++)
{
    string Value() => i + 1 < args.Length ? args[++i] : throw new InputException($"{args[i]} needs a value");
    switch (args[i])
    {
        case "--dataset": dataset = Value(); break;
        case "--runs": runsFolder = Value(); break;
        case "--compare": compareJson = Value(); break;
        case "--md": markdownPath = Value(); break;
        case "--json": jsonPath = Value(); break;
        case "--png": pngPath = Value(); break;
        case "--note": note = Value(); break;
        case "--conclusion": conclusionPath = Value(); break;
        default: Console.Error.WriteLine($"reproduction-table: unknown argument '{args[i]}'"); return 2;
    }
}
if (dataset is null || runsFolder is null)
{
    Console.Error.WriteLine("reproduction-table: --dataset and --runs are required");
    return 2;
}

try
{
    var rows = new List<ReproductionTableRow>();
    foreach (var row in ReproductionRows.All)
    {
        var runs = ReproductionRunReader.ReadRow(Path.Combine(runsFolder, row.Key()));
        if (runs.Count == 0) continue;
        double? pBleu4 = null, pRougeL = null;
        if (compareJson is not null && row != ReproductionRow.Baseline)
            (pBleu4, pRougeL) = ReproductionRunReader.PValues(
                compareJson, $"{ReproductionRow.Baseline.Key()}/hypotheses.txt", $"{row.Key()}/hypotheses.txt");
        rows.Add(new ReproductionTableRow(row, runs, PublishedResults.For(dataset, row), pBleu4, pRougeL));
    }
    var table = ReproductionTable.Create(dataset, rows, note);
    if (markdownPath is null) Console.Write(table.ToMarkdown());
    else File.WriteAllText(markdownPath, table.ToMarkdown());
    if (jsonPath is not null) File.WriteAllText(jsonPath, table.ToJson());
    if (conclusionPath is not null) File.WriteAllText(conclusionPath, table.Conclusion());
    if (pngPath is not null)
        ReproductionPlot.WritePng(pngPath, table, $"SDR against BLEU-4 ({dataset}, test)");
    return 0;
}
catch (InputException e)
{
    Console.Error.WriteLine($"reproduction-table: {e.Message}");
    return 2;
}
