using SignTranslate.Checkpoints;
using SignTranslate.Config;
using SignTranslate.Tests.Training;
using SignTranslate.Training;

namespace SignTranslate.Tests.Cli;

/// <summary>
/// A finetuning checkpoint of the tiny experiment with freshly initialised weights, written in well under a second:
/// enough for the commands that read checkpoints to get to the files a test breaks.
/// </summary>
internal static class UntrainedCheckpoint
{
    public static string Write(string folder)
    {
        var config = TinyExperiment.Config();
        var tokenizer = ExperimentData.Open(config).CreateTokenizer();
        using var model = TrainedModels.NewSlt(config, tokenizer);
        var path = Path.Combine(folder, "checkpoint");
        CheckpointStore.Save(path, model, new CheckpointMetadata { Stage = "finetune", ConfigYaml = ConfigWriter.ToYaml(config) }, tokenizer: tokenizer);
        return path;
    }
}
