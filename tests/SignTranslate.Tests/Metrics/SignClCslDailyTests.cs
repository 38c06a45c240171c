using System.Diagnostics;
using System.Text.Json;
using SignTranslate.Cli;
using SignTranslate.Metrics;
using SignTranslate.Tests.Cli;
using SignTranslate.Text;
using Xunit.Abstractions;

namespace SignTranslate.Tests.Metrics;

/// <summary>
/// The 1,176 CSL-Daily test translations published with SignCL (already char-split, scored with 13a); expected
/// values are the reference-code results recomputed in docs/reference.md#s7.4.
/// </summary>
[Collection(ProcessStateCollection.Name)]
public class SignClCslDailyTests(ITestOutputHelper output)
{
    private static string Hypotheses => TestFixtures.DataFile("signcl-csl-daily", "hypotheses.txt");
    private static string References => TestFixtures.DataFile("signcl-csl-daily", "references.txt");

    [Fact]
    public void LibraryReproducesTheRecomputedScores()
    {
        var hypotheses = Utf8LineFile.Read(Hypotheses);
        var references = Utf8LineFile.Read(References);
        var stopwatch = Stopwatch.StartNew();
        var score = CorpusScorer.Score(hypotheses, references, new ScoringOptions());
        output.WriteLine($"scored {score.Segments} lines in {stopwatch.Elapsed.TotalMilliseconds:F1} ms");

        Assert.Equal(1176, score.Segments);
        Assert.Equal(new BleuStatistics(18321, 17794, new(8580, 3796, 1719, 867), new(18321, 17145, 15969, 14793)), score.Statistics);
        Assert.Equal(1.0, score.BrevityPenalty);
        Assert.Equal(46.83150483052235, score.Bleu1, 1e-9);
        Assert.Equal(32.200559194869726, score.Bleu2, 1e-9);
        Assert.Equal(22.348154292160906, score.Bleu3, 1e-9);
        Assert.Equal(15.992706086430529, score.Bleu4, 1e-9);
        Assert.Equal(45.4866934858513, score.RougeL, 1e-9);
    }

    [Fact]
    public async Task ScoreCommandReproducesTheRecomputedBleu4()
    {
        var stopwatch = Stopwatch.StartNew();
        var (exitCode, stdout, _) = await CliRunner.RunAsync("score", "--hyp", Hypotheses, "--ref", References, "--json");
        output.WriteLine($"slt score in-process: {stopwatch.Elapsed.TotalMilliseconds:F1} ms");

        Assert.Equal(ExitCodes.Success, exitCode);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal(15.992706086430529, json.RootElement.GetProperty("bleu4").GetDouble(), 1e-9);
        Assert.Equal(45.4866934858513, json.RootElement.GetProperty("rouge_l").GetDouble(), 1e-9);
        Assert.Equal(1176, json.RootElement.GetProperty("lines").GetInt32());
    }

    [Fact]
    public void ShardStatisticsAddUpToTheWholeCorpus()
    {
        var hypotheses = Utf8LineFile.Read(Hypotheses);
        var references = Utf8LineFile.Read(References);
        var options = new ScoringOptions();
        var whole = CorpusScorer.Score(hypotheses, references, options);

        // Eight shards formed as DistributedSampler(shuffle=False) forms them: line i goes to rank i % 8.
        const int ranks = 8;
        var shards = Enumerable.Range(0, ranks)
            .Select(rank => CorpusScorer.ScoreSegments(
                [.. hypotheses.Where((_, i) => i % ranks == rank)], [.. references.Where((_, i) => i % ranks == rank)], options))
            .ToArray();
        var summed = BleuStatistics.Sum(shards.Select(shard => BleuStatistics.Sum(shard.Select(segment => segment.Bleu))));
        Assert.Equal(whole.Statistics, summed);
        var fromShards = CorpusScore.FromStatistics(summed, whole.RougeL, whole.Segments, options);
        Assert.Equal(whole.Bleu4, fromShards.Bleu4);

        // The mean of per-shard BLEU-4 (what an all-reduced meter logs) is not the corpus BLEU-4.
        var meanOfShards = shards.Average(shard => CorpusScore.FromSegments(shard, options).Bleu4);
        Assert.True(Math.Abs(meanOfShards - whole.Bleu4) > 0.01, $"mean of shards {meanOfShards} vs corpus {whole.Bleu4}");
    }
}
