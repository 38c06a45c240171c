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
    /// One training step on <paramref name="batch"/>: the task computes its losses and runs each optimisation through
    /// <paramref name="step"/> (<see cref="IStepContext.Optimize"/>), logging what it wants recorded as tensors. It
    /// reads no value from the device: the trainer reads the logged values once per log interval.
    /// </summary>
    void TrainStep(SignBatch batch, IStepContext step);

    /// <summary>Evaluates on dev batches (the task is in eval mode and gradients are off).</summary>
    EvaluationResult Evaluate(IEnumerable<SignBatch> batches, int epoch, CancellationToken cancel);
}

/// <summary>
/// What a task runs one training step through (<see cref="ITrainingTask.TrainStep"/>). Each call happens when the
/// task makes it, so the order of a step's optimisations is the order of the task's code: a loss computed after an
/// <see cref="Optimize"/> sees the weights that optimisation updated (the reference's VLP loop, docs/reference.md#s5.2).
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
    /// Logs a one-element tensor under <paramref name="name"/> (metrics.jsonl and TensorBoard get <c>train_NAME</c>).
    /// The value stays on the device: the trainer reads logged values once per log interval, not per step.
    /// </summary>
    void Log(string name, Tensor value);

    /// <summary>Logs a number the host already holds (e.g. λ).</summary>
    void Log(string name, double value);
}
