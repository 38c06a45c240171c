namespace SignTranslate.Checkpoints;

/// <summary>
/// Everything about a checkpoint except tensors, stored as <c>meta.json</c> beside the weights: enough to rebuild the
/// model, its tokenizer and the training position without the original config file.
/// </summary>
public sealed record CheckpointMetadata
{
    /// <summary>2: <see cref="Files"/>, <see cref="EpochSums"/>, <see cref="SelectionMetric"/>, <see cref="BestCheckpoint"/>.</summary>
    public const int CurrentFormatVersion = 2;

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

    /// <summary>The optimizers whose state is stored beside the weights, by name; none in a weights-only checkpoint.</summary>
    public IReadOnlyList<string> Optimizers { get; init; } = [];

    /// <summary>
    /// Running sums of the current epoch's step scalars, so that the epoch means of a resumed epoch cover the steps
    /// taken before the interruption too.
    /// </summary>
    public IReadOnlyDictionary<string, RunningSum> EpochSums { get; init; } = new Dictionary<string, RunningSum>();

    /// <summary>
    /// Processes of the data-parallel run that wrote it (docs/distributed.md); 0 (left out of meta.json) for one process.
    /// With training.accumulate_steps it fixes how many micro-batches a step is, which a resume must keep.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public int Processes { get; init; }

    /// <summary>The dev metric that selects the best checkpoint (e.g. <c>dev_bleu4</c>), once an evaluation ran.</summary>
    public string? SelectionMetric { get; init; }

    /// <summary>Folder name (beside this one) of the run's best checkpoint when this one was written.</summary>
    public string? BestCheckpoint { get; init; }

    /// <summary>
    /// Every other file of the folder with its size and SHA-256, written last: a folder whose files all match is
    /// complete and undamaged. Null in format 1, whose folders were only ever published complete.
    /// </summary>
    public IReadOnlyDictionary<string, CheckpointFile>? Files { get; init; }

    /// <summary>When it was written (UTC, ISO 8601).</summary>
    public string CreatedUtc { get; init; } = DateTime.UtcNow.ToString("O");
}

/// <summary>A sum of values and how many were added.</summary>
public sealed record RunningSum(double Sum, int Count)
{
    public double Mean => Sum / Count;
}

/// <summary>What a checkpoint file must be: its length in bytes and the hex SHA-256 of its content.</summary>
public sealed record CheckpointFile(long Bytes, string Sha256);
