using SignTranslate.Checkpoints;
using SignTranslate.Config;
using SignTranslate.Models;
using SignTranslate.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace SignTranslate.Training;

/// <summary>A checkpoint folder read back: its metadata, the configuration it was trained with, and its tokenizer.</summary>
/// <param name="Folder">The path as given (e.g. <c>RUN/checkpoints/best</c>), for messages and reports.</param>
public sealed record CheckpointContents(string Folder, CheckpointMetadata Metadata, ExperimentConfig Config, ITextTokenizer Tokenizer)
{
    /// <summary>
    /// The folder the files are read from: a <c>last</c>/<c>best</c> link resolved once, so that a training run
    /// switching the link meanwhile cannot mix two checkpoints.
    /// </summary>
    public string Location { get; init; } = Folder;
}

/// <summary>Builds the models of both stages from a configuration, and loads them back from checkpoints.</summary>
public static class TrainedModels
{
    /// <summary>
    /// Applies the <c>run</c> section to this process (<c>threads</c>), and with any memory saver on, glibc's prompt
    /// return of freed blocks (<see cref="NativeMemory.ReturnFreedBlocksAtOnce"/>); returns the configured device.
    /// <c>cuda</c> needs a CUDA build of LibTorch (README, "GPU").
    /// </summary>
    public static Device PrepareDevice(ExperimentConfig config)
    {
        if (config.Run.Threads > 0) set_num_threads(config.Run.Threads);
        if (config.Model.Memory.CheckpointFrameCnn || config.Model.Memory.CheckpointTransformerLayers) NativeMemory.ReturnFreedBlocksAtOnce();
        var name = config.Run.Device;
        if (name.StartsWith("cuda", StringComparison.Ordinal) && !cuda.is_available())
            throw new InputException(
                $"run.device is '{name}' but this LibTorch has no CUDA support; build with -p:TorchBackend=cuda on a machine with the CUDA packages (see README), or use --device cpu");
        return new Device(name);
    }

    /// <summary>
    /// Reads a checkpoint folder. <paramref name="overrides"/> (<c>key=value</c>) adjust the stored configuration, e.g. to
    /// point <c>data.root</c> at another copy of the dataset.
    /// </summary>
    public static CheckpointContents Read(string folder, IReadOnlyList<string>? overrides = null)
    {
        folder = Path.GetFullPath(folder);
        if (!Directory.Exists(folder))
            throw new InputException($"{folder}: checkpoint folder not found");
        var location = CheckpointStore.Locate(folder);
        var meta = CheckpointStore.ReadMetadata(location);
        var config = ConfigLoader.Parse<ExperimentConfig>(meta.ConfigYaml, Path.Combine(location, CheckpointStore.MetadataFile) + " (config_yaml)", overrides)
            with { BaseDirectory = Directory.GetCurrentDirectory() };
        return new CheckpointContents(folder, meta, config, CheckpointStore.ReadTokenizer(location)) { Location = location };
    }

    /// <summary>A freshly initialised translation model (weights from the seeded LibTorch generator, then any configured pretrained files).</summary>
    public static SltModel NewSlt(ExperimentConfig config, ITextTokenizer tokenizer) =>
        new(config.Model.WithVocabulary(tokenizer.VocabularySize));

    /// <summary>A freshly initialised pretraining model and its masked-text decoder.</summary>
    public static (VlpModel Model, VlpTextDecoder TextDecoder) NewVlp(ExperimentConfig config, ITextTokenizer tokenizer)
    {
        var options = config.Model.WithVocabulary(tokenizer.VocabularySize);
        return (new VlpModel(options), new VlpTextDecoder(options.VisualEncoder, options.Memory.CheckpointTransformerLayers));
    }

    /// <summary>The translation model of a finetuning (or imported) checkpoint, weights loaded strictly, in eval mode, on <paramref name="device"/>.</summary>
    public static SltModel LoadSlt(CheckpointContents checkpoint, Device device)
    {
        if (checkpoint.Metadata.Stage == "pretrain")
            throw new InputException($"{checkpoint.Folder}: a pretraining checkpoint has no translation decoder; finetune it first (slt finetune --init {checkpoint.Folder})");
        var model = NewSlt(checkpoint.Config, checkpoint.Tokenizer);
        var weights = CheckpointStore.ReadWeights(checkpoint.Location);
        try
        {
            WeightLoader.Load(model, weights, strict: true);
        }
        catch (WeightLoadException e)
        {
            throw new InputException($"{checkpoint.Folder}: weights do not fit the model its config describes: {e.Message}", e);
        }
        finally
        {
            foreach (var t in weights.Values) t.Dispose();
        }
        model.to(device);
        model.eval();
        return model;
    }
}
