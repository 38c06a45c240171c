using static TorchSharp.torch;

namespace SignTranslate.Training.Tasks;

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
