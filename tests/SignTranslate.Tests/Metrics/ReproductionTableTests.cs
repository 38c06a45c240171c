using System.Buffers.Binary;
using System.Text.Json;
using SignTranslate.Metrics;

namespace SignTranslate.Tests.Metrics;

/// <summary>The reproduction table of the paper's four rows: seed statistics, paper numbers, p-values, files.</summary>
public sealed class ReproductionTableTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("slt-repro-table-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static SystemScores Scores(double? sdr, double bleu4, double rougeL = 40) => new(sdr, rougeL, 40, 30, 20, bleu4);

    private static ReproductionTable ThreeSeedTable(string dataset) => ReproductionTable.Create(dataset,
    [
        new(ReproductionRow.SignClBoth, [Scores(50, 12), Scores(52, 13), Scores(54, 14)], PublishedResults.For(dataset, ReproductionRow.SignClBoth), 0.004, 0.2),
        new(ReproductionRow.Baseline, [Scores(60, 10), Scores(61, 10), Scores(62, 10)], PublishedResults.For(dataset, ReproductionRow.Baseline)),
    ], "p-values on the concatenated test outputs of all seeds.");

    [Fact]
    public void SeedStatisticIsTheMeanAndSampleStandardDeviation()
    {
        var statistic = SeedStatistic.Of([10.0, 12.0, 17.0])!;
        Assert.Equal(13.0, statistic.Mean, 12);
        Assert.Equal(Math.Sqrt((9 + 1 + 16) / 2.0), statistic.StandardDeviation!.Value, 12);
        Assert.Null(SeedStatistic.Of([5.0])!.StandardDeviation);
        Assert.Null(SeedStatistic.Of([]));
    }

    [Fact]
    public void PublishedNumbersAreTheSignClTables()
    {
        Assert.Equal(new SystemScores(58.20, 39.08, 36.37, 23.32, 15.45, 11.10), PublishedResults.For("csl-daily", ReproductionRow.Baseline));
        Assert.Equal(16.16, PublishedResults.For("csl-daily", ReproductionRow.SignClBoth)!.Bleu4);
        Assert.Equal(62.68, PublishedResults.For("phoenix2014t", ReproductionRow.SignClPretraining)!.Sdr);
        Assert.Equal(22.74, PublishedResults.For("phoenix2014t", ReproductionRow.SignClBoth)!.Bleu4);
        Assert.Null(PublishedResults.For("synthetic", ReproductionRow.Baseline));
    }

    [Fact]
    public void MarkdownPutsRowsInPaperOrderWithOursAndPaperLines()
    {
        var lines = ThreeSeedTable("csl-daily").ToMarkdown().Split('\n');

        var rows = lines.Where(line => line.StartsWith("| GFSLT", StringComparison.Ordinal) || line.StartsWith("| +", StringComparison.Ordinal)).ToArray();
        Assert.Equal(
        [
            "| GFSLT-VLP | ours | 61.00 ± 1.00 | 40.00 ± 0.00 | 40.00 ± 0.00 | 30.00 ± 0.00 | 20.00 ± 0.00 | 10.00 ± 0.00 | – |",
            "| GFSLT-VLP | paper | 58.20 | 39.08 | 36.37 | 23.32 | 15.45 | 11.10 | |",
            "| + SignCL in both | ours | 52.00 ± 2.00 | 40.00 ± 0.00 | 40.00 ± 0.00 | 30.00 ± 0.00 | 20.00 ± 0.00 | 13.00 ± 1.00 | 0.004* / 0.200 |",
            "| + SignCL in both | paper | 54.61 | 48.92 | 47.47 | 32.53 | 22.62 | 16.16 | |",
        ], rows);
        Assert.Contains(lines, line => line.Contains("over 3 seeds", StringComparison.Ordinal));
        Assert.Contains("p-values on the concatenated test outputs of all seeds.", lines);
    }

    [Fact]
    public void SyntheticTableHasNoPaperLinesAndMissingSdrIsADash()
    {
        var table = ReproductionTable.Create("synthetic", [new(ReproductionRow.Baseline, [Scores(null, 31.5)], null)]);
        var markdown = table.ToMarkdown();

        Assert.DoesNotContain("| paper |", markdown, StringComparison.Ordinal);
        Assert.Contains("| GFSLT-VLP | ours | – | 40.00 | 40.00 | 30.00 | 20.00 | 31.50 |", markdown, StringComparison.Ordinal);
        Assert.Contains("one run per row", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void JsonCarriesEverySeedValueThePaperAndThePValues()
    {
        using var document = JsonDocument.Parse(ThreeSeedTable("phoenix2014t").ToJson());
        var root = document.RootElement;
        Assert.Equal("phoenix2014t", root.GetProperty("dataset").GetString());
        Assert.Equal(3, root.GetProperty("seeds").GetInt32());

        var rows = root.GetProperty("rows").EnumerateArray().ToArray();
        Assert.Equal(["baseline", "signcl-both"], rows.Select(r => r.GetProperty("row").GetString()));
        var both = rows[1];
        Assert.Equal([12.0, 13.0, 14.0], both.GetProperty("ours").GetProperty("bleu4").GetProperty("values").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal(1.0, both.GetProperty("ours").GetProperty("bleu4").GetProperty("std").GetDouble(), 12);
        Assert.Equal(22.74, both.GetProperty("paper").GetProperty("bleu4").GetDouble());
        Assert.Equal(0.004, both.GetProperty("p_value_bleu4_vs_baseline").GetDouble());
        Assert.Equal(JsonValueKind.Null, rows[0].GetProperty("p_value_bleu4_vs_baseline").ValueKind);
    }

    [Fact]
    public void ConclusionStatesDirectionAndSignificanceOfEveryRow()
    {
        var table = ReproductionTable.Create("synthetic",
        [
            new(ReproductionRow.Baseline, [Scores(60, 10), Scores(62, 12)], null),
            new(ReproductionRow.SignClPretraining, [Scores(55, 12), Scores(57, 14)], null, 0.01, 0.3),
            new(ReproductionRow.SignClFinetuning, [Scores(63, 10.5), Scores(63, 11)], null, 0.6, 0.9),
        ]);

        Assert.Equal(
            "SignCL lowered the mean SDR in 1 of 2 rows, raised the mean BLEU-4 in 1 of 2 rows, and the BLEU-4 gain is significant (p < 0.05) in 1 of 2.\n\n" +
            "- + SignCL in pretraining: SDR 61.00 → 56.00 (lower, −5.00); BLEU-4 11.00 → 13.00 (+2.00, p = 0.010: significant at 0.05).\n" +
            "- + SignCL in finetuning: SDR 61.00 → 63.00 (not lower, +2.00); BLEU-4 11.00 → 10.75 (−0.25, p = 0.600: not significant at 0.05).\n",
            table.Conclusion());
    }

    [Fact]
    public void ARowGivenTwiceOrWithoutRunsIsAnInputError()
    {
        Assert.Throws<InputException>(() => ReproductionTable.Create("synthetic",
            [new(ReproductionRow.Baseline, [Scores(1, 1)], null), new(ReproductionRow.Baseline, [Scores(1, 1)], null)]));
        Assert.Throws<InputException>(() => ReproductionTable.Create("synthetic", [new(ReproductionRow.Baseline, [], null)]));
    }

    [Fact]
    public void RowKeysRoundTrip()
    {
        Assert.All(ReproductionRows.All, row => Assert.Equal(row, ReproductionRows.Parse(row.Key())));
        Assert.Contains("signcl-both", Assert.Throws<InputException>(() => ReproductionRows.Parse("both")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReaderTakesEvalReportAndDensityAndNamesTheFileOfAMissingNumber()
    {
        var report = Path.Combine(_folder, "report.json");
        var density = Path.Combine(_folder, "density.json");
        File.WriteAllText(report, """{"split":"test","samples":3,"bleu1":50.5,"bleu2":40.25,"bleu3":30,"bleu4":20.125,"rouge_l":45}""");
        File.WriteAllText(density, """{"sdr":61.5,"glosses":4,"instances":20}""");

        Assert.Equal(new SystemScores(61.5, 45, 50.5, 40.25, 30, 20.125), ReproductionRunReader.Read(report, density));
        Assert.Null(ReproductionRunReader.Read(report, null).Sdr);

        File.WriteAllText(report, """{"bleu1":1,"bleu2":1,"bleu3":1,"rouge_l":1}""");
        var message = Assert.Throws<InputException>(() => ReproductionRunReader.Read(report, null)).Message;
        Assert.Equal($"{report}: expected a number 'bleu4'", message);
    }

    [Fact]
    public void PValuesAreFoundInEitherOrderOfThePair()
    {
        var compare = Path.Combine(_folder, "compare.json");
        File.WriteAllText(compare, """
            {"systems":[],"pairs":[
              {"a":"baseline/hypotheses.txt","b":"signcl-both/hypotheses.txt","p_value":0.01,"rouge_l_p_value":0.5},
              {"a":"signcl-pretrain/hypotheses.txt","b":"baseline/hypotheses.txt","p_value":0.3,"rouge_l_p_value":0.04}]}
            """);

        Assert.Equal((0.01, 0.5), ReproductionRunReader.PValues(compare, "baseline/hypotheses.txt", "signcl-both/hypotheses.txt"));
        Assert.Equal((0.3, 0.04), ReproductionRunReader.PValues(compare, "baseline/hypotheses.txt", "signcl-pretrain/hypotheses.txt"));
        Assert.Throws<InputException>(() => ReproductionRunReader.PValues(compare, "baseline/hypotheses.txt", "signcl-finetune/hypotheses.txt"));
    }

    [Fact]
    public void PlotWritesAPngOfTheRequestedSize()
    {
        var path = Path.Combine(_folder, "sdr-bleu.png");
        ReproductionPlot.WritePng(path, ThreeSeedTable("synthetic"), "SDR against BLEU-4", 640, 480);

        var bytes = File.ReadAllBytes(path);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(bytes, 12, 4));
        Assert.Equal((640, 480), (BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20))));
        Assert.Throws<InputException>(() => ReproductionPlot.WritePng(path,
            ReproductionTable.Create("synthetic", [new(ReproductionRow.Baseline, [Scores(null, 1)], null)]), "no SDR"));
    }
}
