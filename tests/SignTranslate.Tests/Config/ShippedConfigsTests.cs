using SignTranslate.Data;
using SignTranslate.Models;
using SignTranslate.Training;

namespace SignTranslate.Tests.Config;

/// <summary>
/// Every YAML file shipped under <c>configs/</c> loads through the strict loader (unknown keys, wrong types and
/// invalid values are errors), and the paper-recipe sets carry the recipe and the switches they promise.
/// </summary>
public class ShippedConfigsTests
{
    private static readonly string ConfigsRoot = Path.Combine(TestFixtures.RepositoryRoot, "configs");

    /// <summary>Every <c>configs/**/*.yaml</c>, as a path relative to <c>configs/</c>, one theory row each.</summary>
    public static TheoryData<string> EveryShippedConfig() => new(ShippedConfigPaths());

    private static IEnumerable<string> ShippedConfigPaths() =>
        Directory.GetFiles(ConfigsRoot, "*.yaml", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(ConfigsRoot, file).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);

    /// <summary>The paper-recipe configs: dataset × stage × SignCL setting, faithful and corrected.</summary>
    public static TheoryData<string, string, bool> PaperRecipeConfigs()
    {
        var data = new TheoryData<string, string, bool>();
        foreach (var (dataset, name, corrected) in PaperRecipes())
            data.Add(dataset, name, corrected);
        return data;
    }

    private static IEnumerable<(string Dataset, string Name, bool Corrected)> PaperRecipes() =>
        from dataset in new[] { "phoenix2014t", "csl-daily" }
        from name in new[] { "pretrain", "pretrain-signcl", "finetune", "finetune-signcl" }
        from corrected in new[] { false, true }
        select (dataset, name, corrected);

    private static ExperimentConfig LoadShipped(string relativePath) =>
        ExperimentConfig.Load(Path.Combine(ConfigsRoot, relativePath));

    [Theory]
    [MemberData(nameof(EveryShippedConfig))]
    public void LoadsAndValidates(string relativePath)
    {
        var config = LoadShipped(relativePath);
        Assert.Empty(config.Validate());
    }

    [Fact]
    public void EveryPaperRecipeFileExists()
    {
        var expected = PaperRecipes().Select(recipe => RecipePath(recipe.Dataset, recipe.Name, recipe.Corrected));
        var shipped = ShippedConfigPaths().ToHashSet();
        Assert.All(expected, path => Assert.Contains(path, shipped));
    }

    [Theory]
    [MemberData(nameof(PaperRecipeConfigs))]
    public void CarriesThePaperRecipe(string dataset, string name, bool corrected)
    {
        var config = LoadShipped(RecipePath(dataset, name, corrected));
        var pretraining = name.StartsWith("pretrain", StringComparison.Ordinal);
        var csl = dataset == "csl-daily";

        Assert.Equal(pretraining ? 80 : 200, config.Training.Epochs);
        Assert.Equal(pretraining ? 4 : 2, config.Training.BatchSize);
        Assert.Equal(0.2, config.Training.LabelSmoothing);
        Assert.Equal(!pretraining && csl ? 0.0065 : 0.01, config.Training.Optimizer.Lr);
        Assert.Equal(pretraining ? 0.0 : 0.001, config.Training.Optimizer.WeightDecay);
        Assert.Equal(csl, config.Eval.Scoring.CharSplit);
        if (pretraining)
        {
            Assert.Equal(0.001, config.Training.TextDecoderOptimizer.Lr);
            Assert.Equal(0.98, config.Training.TextDecoderOptimizer.Beta2);
        }
        else
        {
            // LD (mytran 3+3, ReLU) for Phoenix, LLMD (3+12, GELU, dropout 0.5) for CSL-Daily.
            Assert.Equal(3, config.Model.Mbart.EncoderLayers);
            Assert.Equal(csl ? 12 : 3, config.Model.Mbart.DecoderLayers);
            Assert.Equal(csl ? "gelu" : "relu", config.Model.Mbart.ActivationFunction);
            Assert.Equal(csl ? 0.5 : 0.1, config.Model.Mbart.Dropout);
            // LLMD drops the pretrained VLP text decoder; LD carries it into the translation decoder.
            Assert.Equal(!csl, config.Model.Init.TransferTextDecoder);
        }
        if (name == "finetune-signcl")
            Assert.Equal(70, config.SignCl.StartEpoch);
    }

    [Theory]
    [MemberData(nameof(PaperRecipeConfigs))]
    public void FaithfulSetKeepsTheReferenceQuirksAndCorrectedSetFixesThem(string dataset, string name, bool corrected)
    {
        var config = LoadShipped(RecipePath(dataset, name, corrected));
        var faithful = !corrected;

        Assert.Equal(faithful ? 1.0 : 0.0, config.Model.Visual.FeaturePadValue);
        Assert.Equal(corrected, config.Model.Visual.MaskPaddingInBatchNorm);
        Assert.Equal(faithful ? TemporalSampling.Random : TemporalSampling.Uniform, config.Data.Frames.EvalSampling);
        Assert.Equal(faithful, config.Eval.ReferencesFromTokenIds);
        if (name.StartsWith("pretrain", StringComparison.Ordinal))
        {
            Assert.Equal(faithful ? TextPooling.ArgmaxId : TextPooling.LastNonPad, config.Model.TextPooling);
            Assert.Equal(faithful, config.Data.MaskedText.RandomShuffle);
        }
        if (name.EndsWith("-signcl", StringComparison.Ordinal))
        {
            Assert.Equal(corrected, config.SignCl.Masked);
            Assert.Equal(corrected, config.SignCl.ClampMarginToAtLeastOne);
            if (name == "pretrain-signcl")
                Assert.Equal(corrected, config.SignCl.PretrainBackprop);
        }
    }

    [Fact]
    public void FaithfulFinetuningLambdasAreTheReleasedScripts()
    {
        var csl = LoadShipped("csl-daily/finetune-signcl.yaml").SignCl;
        Assert.Equal(0.001, csl.LambdaFinetune);
        Assert.Equal(1.0, csl.DecayFactor);

        var phoenix = LoadShipped("phoenix2014t/finetune-signcl.yaml").SignCl;
        Assert.Equal(0.06, phoenix.LambdaFinetune);
        Assert.Equal(0.5, phoenix.DecayFactor);
        Assert.Equal(10, phoenix.DecayPatienceEpochs);
        Assert.Equal(2.0, phoenix.DecayMinBleuGain);
    }

    private static string RecipePath(string dataset, string name, bool corrected) =>
        corrected ? $"{dataset}/corrected/{name}.yaml" : $"{dataset}/{name}.yaml";
}
