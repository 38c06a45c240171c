using SignTranslate.Config;

namespace SignTranslate.Training;

/// <summary>The <c>training</c> section: the loop, its optimizers and what the trainer keeps (docs/reference.md#s5).</summary>
public sealed record TrainingOptions : IValidatableConfig
{
    /// <summary>Training epochs, at least 1. Reference: 80 (pretraining), 200 (finetuning).</summary>
    public int Epochs { get; init; } = 80;

    /// <summary>Videos per micro-batch (per optimizer step unless accumulating), at least 1. Reference: 4 per GPU (pretraining), 2 per GPU (finetuning). The CLIP loss, SignCL and BatchNorm see this batch.</summary>
    public int BatchSize { get; init; } = 4;

    /// <summary>
    /// Micro-batches of <c>batch_size</c> per optimizer step, at least 1: gradients are averaged over them, each with its
    /// own BatchNorm statistics, CLIP loss and SignCL term, as k data-parallel workers compute them (docs/training.md).
    /// Steps, schedules, logs and checkpoints count optimizer steps. Default 1.
    /// </summary>
    public int AccumulateSteps { get; init; } = 1;

    /// <summary>Videos per batch in dev/test evaluation and translation, at least 1. Default 8.</summary>
    public int EvalBatchSize { get; init; } = 8;

    /// <summary>Drop the last incomplete training batch. Reference: true for pretraining (a CLIP batch of 1 is degenerate), false for finetuning. Default false.</summary>
    public bool DropLast { get; init; }

    /// <summary>Stop each epoch after this many (optimizer) steps; 0 runs the whole split. For smoke tests and quick looks. Default 0.</summary>
    public int MaxStepsPerEpoch { get; init; }

    /// <summary>Label smoothing of the cross-entropy losses (translation, masked text), in [0, 1). Reference 0.2.</summary>
    public double LabelSmoothing { get; init; } = 0.2;

    /// <summary>Optimizer and schedule of the model (VLP: visual and text CLIP sides; SLT: everything).</summary>
    public OptimizationOptions Optimizer { get; init; } = new();

    /// <summary>Optimizer of the VLP masked-text decoder. Reference: AdamW lr 0.001, β (0.9, 0.98), no weight decay, cosine over the epochs.</summary>
    public OptimizationOptions TextDecoderOptimizer { get; init; } = new()
    {
        Optimizer = OptimizerKind.AdamW, Lr = 1e-3, Beta2 = 0.98, WeightDecay = 0,
    };

    /// <summary>
    /// The VLP masked-text decoder is trained on every N-th step only (the reference: step % 5 == 0). Default 5. 0 skips
    /// it: with decoder type LLMD the reference trains it and then discards it (docs/reference.md#s11.15).
    /// </summary>
    public int TextDecoderEverySteps { get; init; } = 5;

    /// <summary>Evaluate on dev every N epochs (and always after the last one). Finetuning decodes dev and keeps the best BLEU-4; pretraining keeps the lowest dev CLIP loss. Default 1.</summary>
    public int EvalEveryEpochs { get; init; } = 1;

    /// <summary>Evaluate on at most this many dev videos during training; 0 uses all. Default 0.</summary>
    public int EvalMaxSamples { get; init; }

    /// <summary>Log a progress line (and a metrics.jsonl record) every N steps (at least 1); only these steps (and the
    /// last of each epoch) read the logged values from the device. Default 50.</summary>
    public int LogEverySteps { get; init; } = 50;

    public IEnumerable<ConfigProblem> Validate()
    {
        if (Epochs < 1) yield return new ConfigProblem("epochs", $"must be at least 1, got {Epochs}");
        if (BatchSize < 1) yield return new ConfigProblem("batch_size", $"must be at least 1, got {BatchSize}");
        if (AccumulateSteps < 1) yield return new ConfigProblem("accumulate_steps", $"must be at least 1, got {AccumulateSteps}");
        if (EvalBatchSize < 1) yield return new ConfigProblem("eval_batch_size", $"must be at least 1, got {EvalBatchSize}");
        if (MaxStepsPerEpoch < 0) yield return new ConfigProblem("max_steps_per_epoch", $"must be 0 (all) or positive, got {MaxStepsPerEpoch}");
        if (LabelSmoothing is not (>= 0 and < 1)) yield return new ConfigProblem("label_smoothing", $"must be in [0, 1), got {LabelSmoothing}");
        if (TextDecoderEverySteps < 0) yield return new ConfigProblem("text_decoder_every_steps", $"must be 0 (off) or positive, got {TextDecoderEverySteps}");
        if (EvalEveryEpochs < 1) yield return new ConfigProblem("eval_every_epochs", $"must be at least 1, got {EvalEveryEpochs}");
        if (EvalMaxSamples < 0) yield return new ConfigProblem("eval_max_samples", $"must be 0 (all) or positive, got {EvalMaxSamples}");
        if (LogEverySteps < 1) yield return new ConfigProblem("log_every_steps", $"must be at least 1, got {LogEverySteps}");
        foreach (var p in Optimizer.Validate()) yield return p.Under("optimizer");
        foreach (var p in TextDecoderOptimizer.Validate()) yield return p.Under("text_decoder_optimizer");
    }
}
