using SignTranslate.Config;
using SignTranslate.Training;

namespace SignTranslate.Tests.Config;

public class ConfigLoaderTests
{
    private static ExperimentConfig Parse(string yaml, params string[] overrides) =>
        ConfigLoader.Parse<ExperimentConfig>(yaml, "test.yaml", overrides);

    private static string ErrorOf(string yaml, params string[] overrides) =>
        Assert.Throws<ConfigException>(() => Parse(yaml, overrides)).Message;

    [Fact]
    public void ReadsValuesAndKeepsDefaultsForMissingKeys()
    {
        var config = Parse("run:\n  seed: 7\n  device: cuda:1\n");
        Assert.Equal(7, config.Run.Seed);
        Assert.Equal("cuda:1", config.Run.Device);
        Assert.Equal("runs", config.Run.OutputDir);
        Assert.Equal(0, config.Run.Threads);
    }

    [Fact]
    public void EmptyDocumentGivesDefaults()
    {
        Assert.Equal(new RunOptions(), Parse("").Run);
        Assert.Equal(new RunOptions(), Parse("# only a comment\n").Run);
    }

    [Fact]
    public void UnknownKeyNamesFileLineKeyAndValidKeys()
    {
        var message = ErrorOf("run:\n  seed: 1\n  extra_key: 3\n");
        Assert.Equal("test.yaml:3:3: unknown key 'run.extra_key' (expected one of: output_dir, seed, threads, device)", message);
    }

    [Fact]
    public void UnknownSectionIsAnError()
    {
        Assert.StartsWith("test.yaml:1:1: unknown key 'runn'", ErrorOf("runn:\n  seed: 1\n"));
    }

    [Theory]
    [InlineData("rgb", SignTranslate.Models.ModelInput.Rgb)]
    [InlineData("pose", SignTranslate.Models.ModelInput.Pose)]
    [InlineData("rgb+pose", SignTranslate.Models.ModelInput.RgbPose)]
    public void EnumValuesSpelledWithAnAttributeReadFromFilesAndOverrides(string spelling, SignTranslate.Models.ModelInput expected)
    {
        Assert.Equal(expected, Parse($"model:\n  input: {spelling}\n").Model.Input);
        Assert.Equal(expected, Parse("", $"model.input={spelling}").Model.Input);
        Assert.Equal("test.yaml:2:3: 'model.input' expects one of: rgb, pose, rgb+pose, got 'rgb_pose'", ErrorOf("model:\n  input: rgb_pose\n"));
    }

    [Fact]
    public void APoseOnlyModelRefusesFrameCnnWeights()
    {
        Assert.Contains("'model.visual.backbone_weights'", ErrorOf("model:\n  input: pose\n  visual:\n    backbone_weights: resnet18.pth\n"));
        Assert.Equal("resnet18.pth", Parse("model:\n  input: rgb+pose\n  visual:\n    backbone_weights: resnet18.pth\n").Model.Visual.BackboneWeights);
    }

    [Fact]
    public void WrongTypeNamesLineKeyExpectedTypeAndValue()
    {
        Assert.Equal("test.yaml:2:3: 'run.seed' expects an integer, got 'four'", ErrorOf("run:\n  seed: four\n"));
    }

    [Fact]
    public void SectionGivenAsScalarIsAnError()
    {
        Assert.Contains("'run' expects a section with keys: output_dir, seed, threads, device", ErrorOf("run: 5\n"));
    }

    [Fact]
    public void DuplicateKeyIsAnErrorWithLine()
    {
        Assert.Equal("test.yaml:3:3: duplicate key 'seed'", ErrorOf("run:\n  seed: 1\n  seed: 2\n"));
    }

    [Fact]
    public void InvalidValueIsReportedAtItsKey()
    {
        Assert.Equal("test.yaml:3:3: 'run.threads' must be 0 (LibTorch default) or a positive number of threads, got -1",
            ErrorOf("run:\n  seed: 1\n  threads: -1\n"));
    }

    [Fact]
    public void SyntaxErrorIsReportedWithPosition()
    {
        Assert.Matches(@"^test\.yaml:\d+:\d+: invalid YAML", ErrorOf("run:\n  seed: [1, 2\n"));
    }

    [Fact]
    public void TopLevelMustBeAMapping()
    {
        Assert.Contains("the top level must be a mapping", ErrorOf("- a\n- b\n"));
    }

    [Fact]
    public void OverridesReplaceFileValuesAndAreTypeChecked()
    {
        var config = Parse("run:\n  seed: 1\n", "run.seed=11", "run.device=cuda", "run.output_dir=out/x");
        Assert.Equal(new RunOptions { Seed = 11, Device = "cuda", OutputDir = "out/x" }, config.Run);
    }

    [Fact]
    public void OverrideCreatesMissingSection()
    {
        Assert.Equal(5, Parse("", "run.seed=5").Run.Seed);
    }

    [Fact]
    public void LaterOverrideWins()
    {
        Assert.Equal(3, Parse("", "run.seed=2", "run.seed=3").Run.Seed);
    }

    [Fact]
    public void OverrideWithWrongTypeNamesTheOverrideKeyAndType()
    {
        Assert.Equal("--set run.seed=notanumber: 'run.seed' expects an integer, got 'notanumber'",
            ErrorOf("run:\n  seed: 1\n", "run.seed=notanumber"));
    }

    [Fact]
    public void OverrideOfUnknownKeyIsAnError()
    {
        Assert.Equal("--set run.sed=3: unknown key 'run.sed' (expected one of: output_dir, seed, threads, device)",
            ErrorOf("run:\n  seed: 1\n", "run.sed=3"));
        Assert.StartsWith("--set runn.seed=3: unknown key 'runn'", ErrorOf("", "runn.seed=3"));
    }

    [Fact]
    public void ErrorsElsewhereStillPointAtTheFileWhenOverridesArePresent()
    {
        Assert.Equal("test.yaml:3:3: 'run.threads' expects an integer, got 'x'",
            ErrorOf("run:\n  seed: 1\n  threads: x\n", "run.seed=4"));
    }

    [Theory]
    [InlineData("run.seed")]
    [InlineData("=3")]
    [InlineData("run..seed=3")]
    public void MalformedOverrideIsAnError(string text)
    {
        Assert.StartsWith($"--set {text}:", ErrorOf("", text));
    }

    [Fact]
    public void ResolvedConfigRoundTripsThroughYaml()
    {
        var config = Parse("run:\n  seed: 9\n  threads: 2\n");
        var again = Parse(ConfigWriter.ToYaml(config));
        Assert.Equal(config.Run, again.Run);
        Assert.Contains("output_dir: runs", ConfigWriter.ToYaml(config));
    }

    [Fact]
    public void LoadSetsBaseDirectoryForRelativePaths()
    {
        var dir = Directory.CreateTempSubdirectory("slt-config-");
        try
        {
            var file = Path.Combine(dir.FullName, "exp.yaml");
            File.WriteAllText(file, "run:\n  output_dir: out\n");
            var config = ExperimentConfig.Load(file);
            Assert.Equal(Path.Combine(dir.FullName, "out"), config.ResolvePath(config.Run.OutputDir));
            Assert.Equal("/abs/x", config.ResolvePath("/abs/x"));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void MissingFileIsAnError()
    {
        var message = Assert.Throws<ConfigException>(() => ExperimentConfig.Load("/nonexistent/exp.yaml")).Message;
        Assert.Equal("/nonexistent/exp.yaml: configuration file not found", message);
    }

    private sealed record RequiredSection
    {
        public required string Root { get; init; }
        public int Size { get; init; } = 3;
    }

    private sealed record WithRequired
    {
        public RequiredSection Data { get; init; } = new() { Root = "." };
    }

    [Fact]
    public void MissingRequiredKeyIsNamed()
    {
        var message = Assert.Throws<ConfigException>(() => ConfigLoader.Parse<WithRequired>("data:\n  size: 4\n", "t.yaml")).Message;
        Assert.Equal("t.yaml:1:1: missing required key(s): data.root", message);
    }
}
