using System.Text.Json;
using SignTranslate.Cli;
using SignTranslate.Models;
using SignTranslate.Training;

namespace SignTranslate.Tests.Cli;

/// <summary><c>slt bench step</c> on the synthetic configs' small models: the JSON that scripts/bench-step.sh reads.</summary>
[Collection(ProcessStateCollection.Name)]
public class BenchStepCommandTests
{
    private static string Config(string stage) => Path.Combine(TestFixtures.RepositoryRoot, "configs", "synthetic", stage + ".yaml");

    [Fact]
    public async Task AFinetuningStepReportsItsPhasesAndTheModelsParameterCount()
    {
        var (code, stdout, stderr) = await CliRunner.RunAsync("bench", "step", "--config", Config("finetune"), "--frames", "20",
            "--batch", "2", "--text", "7", "--steps", "1", "--warmup", "1", "--vocab", "40", "--json",
            "--set", "data.collation.padding=reference");

        Assert.True(code == ExitCodes.Success, stderr);
        using var document = JsonDocument.Parse(stdout);
        var result = document.RootElement;
        Assert.Equal("finetune", result.GetProperty("stage").GetString());
        Assert.Equal(20, result.GetProperty("frames").GetInt32());
        Assert.Equal(4 * 5 + 16, result.GetProperty("padded_frames").GetInt32());   // the reference collation of 20 frames
        Assert.Equal(2, result.GetProperty("batch").GetInt32());
        Assert.Equal(7, result.GetProperty("text").GetInt32());
        var config = ExperimentConfig.Load(Config("finetune"));
        using (var model = new SltModel(config.Model.WithVocabulary(40)))
            Assert.Equal(ParameterCount.Unique(model), result.GetProperty("parameters").GetInt64());

        // One timed step: the three phases add up to it, since forward is what backward and optimizer leave.
        var step = result.GetProperty("step_ms").GetDouble();
        var phases = new[] { "forward_ms", "backward_ms", "optimizer_ms" }.Select(p => result.GetProperty(p).GetDouble()).ToArray();
        Assert.All(phases, phase => Assert.True(phase > 0, result.ToString()));
        Assert.Equal(step, phases.Sum(), 3);
        // steps_ms lists each step rounded to 0.1 ms.
        Assert.InRange(Assert.Single(result.GetProperty("steps_ms").EnumerateArray()).GetDouble() - step, -0.0501, 0.0501);
        Assert.InRange(result.GetProperty("peak_rss_mb").GetDouble(), result.GetProperty("rss_before_steps_mb").GetDouble(), 64_000);
    }

    [Fact]
    public async Task APretrainingStepCountsTheTextDecoderToo()
    {
        var (code, stdout, stderr) = await CliRunner.RunAsync("bench", "step", "--config", Config("pretrain"), "--stage", "pretrain",
            "--frames", "16", "--text", "6", "--steps", "1", "--warmup", "0", "--vocab", "30", "--json");

        Assert.True(code == ExitCodes.Success, stderr);
        using var document = JsonDocument.Parse(stdout);
        var result = document.RootElement;
        Assert.Equal("pretrain", result.GetProperty("stage").GetString());
        Assert.Equal(16, result.GetProperty("padded_frames").GetInt32());   // the synthetic configs do not pad
        var config = ExperimentConfig.Load(Config("pretrain"));
        var options = config.Model.WithVocabulary(30);
        using var model = new VlpModel(options);
        using var decoder = new VlpTextDecoder(options.VisualEncoder);
        Assert.Equal(ParameterCount.Unique(model) + ParameterCount.Unique(decoder), result.GetProperty("parameters").GetInt64());
    }

    [Fact]
    public async Task PartsNameEachPartOfTheTranslationModel()
    {
        var (code, stdout, stderr) = await CliRunner.RunAsync("bench", "step", "--config", Config("finetune"), "--frames", "16",
            "--steps", "1", "--warmup", "0", "--vocab", "40", "--parts", "--json");

        Assert.True(code == ExitCodes.Success, stderr);
        using var document = JsonDocument.Parse(stdout);
        var parts = document.RootElement.GetProperty("parts").EnumerateArray().ToArray();
        Assert.Equal(4, parts.Length);
        Assert.StartsWith("frame CNN", parts[0].GetProperty("part").GetString());
        Assert.StartsWith("LM head", parts[3].GetProperty("part").GetString());
        Assert.All(parts, part => Assert.True(part.GetProperty("forward_ms").GetDouble() > 0 && part.GetProperty("backward_ms").GetDouble() > 0));
    }

    [Theory]
    [InlineData(new[] { "--frames", "0" }, "--frames 0")]
    [InlineData(new[] { "--text", "2" }, "--text 2")]
    [InlineData(new[] { "--stage", "pretrain", "--eval" }, "--eval")]
    public async Task BadValuesExitWithCodeTwoAndOneLine(string[] options, string mention)
    {
        var (code, stdout, stderr) = await CliRunner.RunAsync(["bench", "step", "--config", Config("finetune"), .. options]);

        Assert.Equal(ExitCodes.InputError, code);
        Assert.Equal("", stdout);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(mention, line);
    }
}
