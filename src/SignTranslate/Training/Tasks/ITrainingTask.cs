using SignTranslate.Data;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SignTranslate.Training.Tasks;

/// <summary>One optimizer of a task: what it updates and how its learning rate is scheduled.</summary>
public sealed record OptimizerSlot(string Name, optim.Optimizer Optimizer, OptimizationOptions Options, IReadOnlyList<Parameter> Parameters)
{
    /// <summary>An optimizer over the trainable parameters of <paramref name="module"/>.</summary>
    public static OptimizerSlot For(string name, nn.Module module, OptimizationOptions options)
    {
        var parameters = module.named_parameters().ToList();
        return new OptimizerSlot(name, OptimizerFactory.Create(parameters, options), options,
            parameters.Select(p => p.parameter).Where(p => p.requires_grad).ToList());
    }
}

/// <summary>
/// One micro-batch of an optimizer step. <paramref name="Slot"/> numbers the step's micro-batches across all processes
/// (process r of N with k accumulation steps holds slots r·k … r·k + k − 1), so per-micro-batch random streams
/// (SignCL draws, dropout) depend on the slot alone and one process accumulating k micro-batches draws what k
/// data-parallel processes draw.
/// </summary>
public sealed record MicroBatch(SignBatch Batch, int Slot);

/// <summary>Where a training step sits in the run.</summary>
public readonly record struct StepPosition(int Epoch, int StepInEpoch, long GlobalStep);

/// <summary>What an evaluation on dev produced: scalars to log, and the value that selects the best checkpoint.</summary>
public sealed record EvaluationResult(IReadOnlyDictionary<string, double> Metrics, string SelectionMetric, double Selection, bool HigherIsBetter)
{
    public bool IsBetterThan(double? best) => best is null || (HigherIsBetter ? Selection > best : Selection < best);
}

/// <summary>
/// What a stage computes (pretraining or finetuning): the trainer owns the loop, schedules, clipping, checkpoints and
/// logs; the task owns the model, the losses of a step and the dev evaluation.
/// </summary>
public interface ITrainingTask : IDisposable
{
    /// <summary><c>pretrain</c> or <c>finetune</c>; written into checkpoints and run folder names.</summary>
    string Stage { get; }

    /// <summary>Whether training batches need the masked text copy (VLP's masked-text decoder).</summary>
    bool NeedsMaskedText { get; }

    /// <summary>The task's optimizers; the first is the stage's main one, whose learning rate the progress line shows.</summary>
    IReadOnlyList<OptimizerSlot> Optimizers { get; }

    /// <summary>Videos per dev batch (pretraining: the training batch, since the CLIP loss depends on it).</summary>
    int EvaluationBatchSize { get; }

    /// <summary>Every tensor a checkpoint stores, under the reference names.</summary>
    IEnumerable<KeyValuePair<string, Tensor>> StateDict();

    /// <summary>The tensors that are state but not parameters (BatchNorm running statistics): kept from one micro-batch of
    /// a step when several run it (<see cref="Training.MicroBatching"/>).</summary>
    IEnumerable<Tensor> Buffers();

    /// <summary>Loads tensors written by <see cref="StateDict"/> (strict: every name must match).</summary>
    void LoadStateDict(IReadOnlyDictionary<string, Tensor> state);

    /// <summary>Task-level state that must survive a resume (e.g. a decaying λ), stored in the checkpoint metadata.</summary>
    IReadOnlyDictionary<string, double> TaskState { get; }

    void RestoreTaskState(IReadOnlyDictionary<string, double> state);

    /// <summary>Switches every module to training (true) or evaluation (false) mode.</summary>
    void SetTraining(bool training);

    /// <summary>Called before the first step of each epoch.</summary>
    void BeginEpoch(int epoch);

    /// <summary>
    /// One optimizer step on <paramref name="batches"/> (one micro-batch, or <c>training.accumulate_steps</c> of them):
    /// the task runs each optimisation through <paramref name="step"/> (<see cref="IStepContext.Optimize(string, IReadOnlyList{MicroBatch}, Func{MicroBatch, Tensor})"/>),
    /// which computes its loss per micro-batch, and logs what it wants recorded as tensors. It reads no value from the
    /// device: the trainer reads the logged values once per log interval.
    /// </summary>
    void TrainStep(IReadOnlyList<MicroBatch> batches, IStepContext step);

    /// <summary>Evaluates on dev batches (the task is in eval mode and gradients are off).</summary>
    EvaluationResult Evaluate(IEnumerable<SignBatch> batches, int epoch, CancellationToken cancel);
}

/// <summary>
/// What a task runs one training step through (<see cref="ITrainingTask.TrainStep"/>). Each call happens when the
/// task makes it, so the order of a step's optimisations is the order of the task's code: a loss computed after an
/// <c>Optimize</c> sees the weights that optimisation updated (the reference's VLP loop, docs/reference.md#s5.2).
/// </summary>
public interface IStepContext
{
    /// <summary>Where the step sits in the run.</summary>
    StepPosition Position { get; }

    /// <summary>
    /// Minimises <paramref name="loss"/> with the task's optimizer of that name, now: zero_grad, backward, gradient
    /// clipping when the optimizer's <c>grad_clip</c> is set (logging <c>grad_norm_NAME</c>), optimizer step.
    /// </summary>
    void Optimize(string optimizer, Tensor loss);

    /// <summary>
    /// One optimisation over micro-batches: zero_grad, then per micro-batch (in its own dispose scope) its
    /// <paramref name="loss"/> and backward, the gradients averaged over all micro-batches (of every process), then
    /// clipping and the optimizer step as <see cref="Optimize(string, Tensor)"/>. Values logged inside
    /// <paramref name="loss"/> are averaged over the micro-batches.
    /// </summary>
    void Optimize(string optimizer, IReadOnlyList<MicroBatch> batches, Func<MicroBatch, Tensor> loss);

    /// <summary>
    /// Logs a one-element tensor under <paramref name="name"/> (metrics.jsonl and TensorBoard get <c>train_NAME</c>).
    /// The value stays on the device: the trainer reads logged values once per log interval, not per step.
    /// </summary>
    void Log(string name, Tensor value);

    /// <summary>Logs a number the host already holds (e.g. λ).</summary>
    void Log(string name, double value);
}
