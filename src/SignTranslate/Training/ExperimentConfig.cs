using SignTranslate.Config;
using SignTranslate.Data;
using SignTranslate.Data.Synthetic;
using SignTranslate.Losses;
using SignTranslate.Models;
using YamlDotNet.Serialization;

namespace SignTranslate.Training;

/// <summary>
/// The whole resolved configuration of an experiment: what a YAML file plus <c>--set</c> overrides describe, and
/// what every run folder and checkpoint stores. Each section is an immutable record with documented defaults.
/// It gathers the options of every layer, so it lives with the experiment at the top of the library
/// (docs/architecture.md); the generic loader of the Config namespace reads it.
/// </summary>
public sealed record ExperimentConfig : IValidatableConfig
{
    /// <summary>
    /// Loads an experiment configuration file and applies <c>--set</c> overrides (each <c>key.path=value</c>);
    /// relative paths in it are taken from the file's folder.
    /// </summary>
    public static ExperimentConfig Load(string path, IReadOnlyList<string>? overrides = null) =>
        ConfigLoader.Load<ExperimentConfig>(path, overrides) with { BaseDirectory = Path.GetDirectoryName(Path.GetFullPath(path))! };

    /// <summary>The configuration with every default and no file (what an empty YAML file gives), plus overrides.</summary>
    public static ExperimentConfig Defaults(IReadOnlyList<string>? overrides = null) =>
        ConfigLoader.Parse<ExperimentConfig>("", "(defaults)", overrides);

    /// <summary>Where results go, seed, CPU threads and device.</summary>
    public RunOptions Run { get; init; } = new();

    /// <summary>Dataset, frame preprocessing, batching and tokenizer.</summary>
    public DataOptions Data { get; init; } = new();

    /// <summary>The built-in synthetic sign language dataset (<c>slt synth</c>, or generated in memory for training).</summary>
    public SyntheticOptions Synthetic { get; init; } = new();

    /// <summary>The SignCL contrastive loss on frame features: variant, sampling, margins, λ per stage, start epoch, faithful switches.</summary>
    [YamlMember(Alias = "signcl")]
    public SignClOptions SignCl { get; init; } = new();

    /// <summary>The networks of both stages: visual backbone, translation mBART, VLP encoders.</summary>
    public ModelOptions Model { get; init; } = new();

    /// <summary>The training loop: epochs, batch size, optimizers, schedule, label smoothing, evaluation cadence.</summary>
    public TrainingOptions Training { get; init; } = new();

    /// <summary>Decoding (beam search) and scoring of dev/test translations.</summary>
    public EvaluationOptions Eval { get; init; } = new();

    /// <summary>Folder of the YAML file this configuration came from; relative paths in it are resolved against it.</summary>
    [YamlIgnore]
    public string BaseDirectory { get; init; } = Directory.GetCurrentDirectory();

    /// <summary>Resolves a path written in the configuration: absolute paths stay, relative ones are taken from <see cref="BaseDirectory"/>.</summary>
    public string ResolvePath(string path) => Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(BaseDirectory, path));

    /// <summary>
    /// This configuration with every file and folder path made absolute against <see cref="BaseDirectory"/>, so it
    /// means the same once saved into a run folder or checkpoint and read back from elsewhere.
    /// </summary>
    public ExperimentConfig WithAbsolutePaths()
    {
        string Absolute(string path) => path.Length == 0 ? path : ResolvePath(path);
        return this with
        {
            Run = Run with { OutputDir = Absolute(Run.OutputDir) },
            Data = Data with
            {
                Root = Absolute(Data.Root),
                Cache = Data.Cache with { Folder = Absolute(Data.Cache.Folder) },
                Tokenizer = Data.Tokenizer with { ModelFile = Absolute(Data.Tokenizer.ModelFile) },
            },
            Model = Model with
            {
                Visual = Model.Visual with { BackboneWeights = Absolute(Model.Visual.BackboneWeights) },
                MbartWeights = Absolute(Model.MbartWeights),
            },
        };
    }

    public IEnumerable<ConfigProblem> Validate() =>
        Run.Validate().Select(p => p.Under("run"))
            .Concat(Data.Validate().Select(p => p.Under("data")))
            .Concat(Synthetic.Validate().Select(p => p.Under("synthetic")))
            .Concat(SignCl.Validate().Select(p => p.Under("signcl")))
            .Concat(Model.Validate().Select(p => p.Under("model")))
            .Concat(Training.Validate().Select(p => p.Under("training")))
            .Concat(Eval.Validate().Select(p => p.Under("eval")));
}
