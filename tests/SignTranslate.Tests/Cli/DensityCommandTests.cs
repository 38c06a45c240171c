using System.Globalization;
using System.Text.Json;
using SignTranslate.Cli;
using SignTranslate.Cli.Commands;
using SignTranslate.Data;
using SignTranslate.Tests.Training;
using SignTranslate.Training;

namespace SignTranslate.Tests.Cli;

/// <summary>A tiny synthetic model finetuned for one epoch, shared by the <c>slt density</c> tests.</summary>
public sealed class TinyFinetunedCheckpoint : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("slt-density-cli-");

    public TinyFinetunedCheckpoint()
    {
        ConfigPath = TinyExperiment.Write(_dir.FullName);
        var run = Path.Combine(_dir.FullName, "run");
        var result = CliRunner.Run("finetune", "--config", ConfigPath, "--run-dir", run, "--set", "training.epochs=1", "-q");
        if (result.ExitCode != ExitCodes.Success) throw new InvalidOperationException(result.Stderr);
        Checkpoint = Path.Combine(run, "checkpoints", "best");
    }

    public string Folder => _dir.FullName;
    public string ConfigPath { get; }
    public string Checkpoint { get; }

    public void Dispose() => _dir.Delete(recursive: true);
}

[Collection(ProcessStateCollection.Name)]
public sealed class DensityCommandTests(TinyFinetunedCheckpoint tiny) : IClassFixture<TinyFinetunedCheckpoint>
{
    private string Out(string name) => Path.Combine(tiny.Folder, name);

    private static JsonElement Report(string folder) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, DensityCommand.ReportFile))).RootElement;

    [Fact]
    public void WritesReportCsvAndPlotThatAgreeWithEachOther()
    {
        var folder = Out("center");
        var result = CliRunner.Run("density", "--checkpoint", tiny.Checkpoint, "--out", folder, "-q");
        Assert.True(result.ExitCode == ExitCodes.Success, result.Stderr);

        var report = Report(folder);
        var rows = File.ReadAllLines(Path.Combine(folder, DensityCommand.PerGlossFile)).Skip(1)
            .Select(line => line.Split(',')).ToList();
        Assert.Equal(report.GetProperty("glosses").GetInt32(), rows.Count);
        Assert.Equal(report.GetProperty("instances").GetInt32(), rows.Sum(r => int.Parse(r[1], CultureInfo.InvariantCulture)));
        Assert.Equal(report.GetProperty("sdr").GetDouble(), rows.Average(r => double.Parse(r[4], CultureInfo.InvariantCulture)), 9);
        Assert.Equal("test", report.GetProperty("split").GetString());
        Assert.Equal(4, report.GetProperty("videos").GetInt32());
        Assert.True(new FileInfo(Path.Combine(folder, DensityCommand.PlotFile)).Length > 1000);

        var sdr = report.GetProperty("sdr").GetDouble();
        Assert.InRange(sdr, 1, 200);
        Assert.StartsWith(string.Create(CultureInfo.InvariantCulture, $"SDR {sdr:F2}% over {rows.Count} glosses"), result.Stdout);
    }

    [Fact]
    public void AnAlignmentFileWithTheSameSpansGivesTheSameSdrAsTheDatasetSpans()
    {
        var config = ExperimentConfig.Load(tiny.ConfigPath);
        var lines = ExperimentData.Open(config).Samples(Split.Test)
            .SelectMany(s => s.GlossSpans!.Select(g => $"{s.Id}\t{g.Gloss}\t{g.Start}\t{g.End}"));
        var alignment = Out("alignment.tsv");
        File.WriteAllLines(alignment, ["# sample_id\tgloss\tstart\tend", .. lines]);

        Assert.Equal(ExitCodes.Success, CliRunner.Run("density", "--checkpoint", tiny.Checkpoint, "--out", Out("dataset-spans"), "-q").ExitCode);
        var result = CliRunner.Run("density", "--checkpoint", tiny.Checkpoint, "--alignment", alignment, "--out", Out("aligned"), "-q");
        Assert.True(result.ExitCode == ExitCodes.Success, result.Stderr);

        Assert.Equal(Report(Out("dataset-spans")).GetProperty("sdr").GetDouble(), Report(Out("aligned")).GetProperty("sdr").GetDouble());
        Assert.Equal(alignment, Report(Out("aligned")).GetProperty("spans").GetString());
    }

    [Fact]
    public void InstanceModeAndFeatureTensorChangeTheMeasurement()
    {
        string Sdr(params string[] extra)
        {
            var result = CliRunner.Run(["density", "--checkpoint", tiny.Checkpoint, "-q", .. extra]);
            Assert.True(result.ExitCode == ExitCodes.Success, result.Stderr);
            return result.Stdout.Split(' ')[1];
        }

        var center = Sdr();
        Assert.Equal(center, Sdr());   // deterministic
        Assert.NotEqual(center, Sdr("--instances", "mean"));
        Assert.NotEqual(center, Sdr("--features", "temporal"));
    }

    [Fact]
    public void AnAlignmentForOtherVideosIsOneLineAndExitTwo()
    {
        var alignment = Out("other.tsv");
        File.WriteAllText(alignment, "dev/unknown\tMORGEN\t0\t4\n");

        var result = CliRunner.Run("density", "--checkpoint", tiny.Checkpoint, "--alignment", alignment, "-q");

        Assert.Equal(ExitCodes.InputError, result.ExitCode);
        Assert.StartsWith($"slt: error: {alignment}: none of its sample ids is in the test split", result.Stderr);
        Assert.Single(result.Stderr.TrimEnd().Split('\n'));
    }

    [Fact]
    public void SpansOfCappedVideosMoveToTheKeptFrames()
    {
        // 10 frames capped at 5 keep frames 1, 3, 5, 7, 9.
        IReadOnlyList<GlossSpan> spans = [new("A", 0, 4), new("B", 4, 5), new("C", 9, 10)];
        Assert.Equal([new GlossSpan("A", 0, 2), new GlossSpan("B", 2, 3), new GlossSpan("C", 4, 5)],
            SplitGlossInstances.KeptFrameSpans(spans, frameCount: 10, maxFrames: 5));
        Assert.Same(spans, SplitGlossInstances.KeptFrameSpans(spans, frameCount: 5, maxFrames: 5));
    }

    [Fact]
    public void TemporalStepsAreThoseCentredOnTheSpan()
    {
        // Reference padding (8 leading frames): step j is centred on frame 4j − 0.5; frame 3 is nearer step 1 (3.5).
        IReadOnlyList<GlossSpan> spans = [new("A", 0, 4), new("B", 4, 12), new("C", 30, 40)];
        Assert.Equal([new GlossSpan("A", 0, 2), new GlossSpan("B", 1, 4), new GlossSpan("C", 8, 9)],
            SplitGlossInstances.TemporalSpans(spans, leadingPadding: 8, steps: 9));
        // No padding: the first steps are centred on frames 7.5, 11.5, ...; early frames clamp to step 0.
        Assert.Equal([new GlossSpan("A", 0, 1), new GlossSpan("B", 0, 2), new GlossSpan("C", 6, 7)],
            SplitGlossInstances.TemporalSpans(spans, leadingPadding: 0, steps: 7));
    }
}
