namespace SignTranslate.Training.Checkpoints;

/// <summary>
/// Everything about a checkpoint except tensors, stored as <c>meta.json</c> beside the weights: enough to rebuild the
/// model, its tokenizer and the training position without the original config file.
/// </summary>
public sealed record CheckpointMetadata
{
    public const int CurrentFormatVersion = 1;

    public int FormatVersion { get; init; } = CurrentFormatVersion;

    /// <summary>Which stage wrote it: <c>pretrain</c> or <c>finetune</c> (or an importer's name).</summary>
    public required string Stage { get; init; }

    /// <summary>Epochs completed when it was written; training resumes at this epoch.</summary>
    public int EpochsCompleted { get; init; }

    /// <summary>
    /// Steps of epoch <see cref="EpochsCompleted"/> already taken: 0 at an epoch boundary, more when training was
    /// interrupted mid-epoch (a resume skips those batches of the epoch's deterministic order).
    /// </summary>
    public int StepsIntoEpoch { get; init; }

    /// <summary>Optimizer steps taken so far.</summary>
    public long GlobalStep { get; init; }

    /// <summary>The resolved experiment configuration as YAML.</summary>
    public required string ConfigYaml { get; init; }

    /// <summary>Metrics at the time of writing (e.g. <c>dev_bleu4</c>, <c>train_loss</c>).</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    /// <summary>State of the training task that a resume needs (e.g. the SignCL λ decay), by name.</summary>
    public IReadOnlyDictionary<string, double> TaskState { get; init; } = new Dictionary<string, double>();

    /// <summary>Best selection metric seen so far in the run (for resuming best-checkpoint tracking).</summary>
    public double? BestMetric { get; init; }

    /// <summary>The optimizers whose state is stored beside the weights, by name.</summary>
    public IReadOnlyList<string> Optimizers { get; init; } = [];

    /// <summary>When it was written (UTC, ISO 8601).</summary>
    public string CreatedUtc { get; init; } = DateTime.UtcNow.ToString("O");
}
