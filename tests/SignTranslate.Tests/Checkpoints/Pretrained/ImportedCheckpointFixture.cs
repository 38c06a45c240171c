using SignTranslate.Checkpoints;
using SignTranslate.Cli;
using SignTranslate.Config;
using SignTranslate.Models;
using SignTranslate.Tests.Cli;
using SignTranslate.Training;

namespace SignTranslate.Tests.Checkpoints.Pretrained;

/// <summary>
/// Runs <c>slt import gfslt</c> once on the reference SLT and VLP checkpoints and loads the SLT result the way
/// <c>slt eval</c> does (metadata → config → model → strict weights), for the tests of one class.
/// </summary>
public sealed class ImportedCheckpointFixture : IDisposable
{
    public ImportedCheckpointFixture()
    {
        Directory.CreateDirectory(Root);
        SltImport = CliRunner.Run("import", "gfslt", "--checkpoint", ReferenceCheckpoints.PathOf("slt_best_checkpoint.pth"),
            "--out", SltFolder, "--mbart-config", ReferenceCheckpoints.MytranConfig);
        VlpImport = CliRunner.Run("import", "gfslt", "--checkpoint", ReferenceCheckpoints.PathOf("vlp_checkpoint.pth"),
            "--out", VlpFolder, "--stage", "vlp", "--mbart-config", ReferenceCheckpoints.MytranConfig,
            "--text-encoder-config", Path.Combine(ReferenceCheckpoints.MBartTrimmedFolder, "config.json"));
        if (SltImport.ExitCode != ExitCodes.Success) return;

        Metadata = CheckpointStore.ReadMetadata(SltFolder);
        Config = ConfigLoader.Parse<ExperimentConfig>(Metadata.ConfigYaml, "meta.json");
        Slt = new SltModel(Config.Model);
        var weights = CheckpointStore.ReadWeights(SltFolder);
        SltLoad = WeightLoader.Load(Slt, weights, strict: true);
        Slt.eval();
    }

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "slt-import-tests-" + Guid.NewGuid().ToString("N"));
    public string SltFolder => Path.Combine(Root, "slt");
    public string VlpFolder => Path.Combine(Root, "vlp");
    public CliRunner.Result SltImport { get; }
    public CliRunner.Result VlpImport { get; }
    public CheckpointMetadata? Metadata { get; }
    public ExperimentConfig? Config { get; }
    public SltModel? Slt { get; }
    public WeightLoadReport? SltLoad { get; }

    public void Dispose()
    {
        Slt?.Dispose();
        if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
    }
}

/// <summary>The import tests and the export tests share one import.</summary>
[CollectionDefinition(Name)]
public sealed class ImportedCheckpointCollection : ICollectionFixture<ImportedCheckpointFixture>
{
    public const string Name = "imported reference checkpoints";
}
