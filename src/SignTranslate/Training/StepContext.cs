using SignTranslate.Training.Tasks;
using static TorchSharp.torch;

namespace SignTranslate.Training;

/// <summary>
/// The trainer's <see cref="IStepContext"/>: runs each optimisation with the slot's optimizer and clipping, and logs
/// into the run's <see cref="LoggedScalars"/>. No call reads a value from the device.
/// </summary>
public sealed class StepContext(StepPosition position, IReadOnlyDictionary<string, OptimizerSlot> slots, LoggedScalars scalars) : IStepContext
{
    public StepPosition Position => position;

    public void Optimize(string optimizer, Tensor loss)
    {
        if (!slots.TryGetValue(optimizer, out var slot))
            throw new ArgumentException($"the task has no optimizer '{optimizer}' (it has {string.Join(", ", slots.Keys)})", nameof(optimizer));
        slot.Optimizer.zero_grad();
        loss.backward();
        if (slot.Options.GradClip > 0)
        {
            var name = $"grad_norm_{slot.Name}";
            // No gradient at all has norm 0, as LibTorch's clip_grad_norm_ reports it.
            if (GradientClipping.ClipNorm(slot.Parameters, slot.Options.GradClip) is { } norm) Log(name, norm);
            else Log(name, 0.0);
        }
        slot.Optimizer.step();
    }

    public void Log(string name, Tensor value) => scalars.Add(name, value);

    public void Log(string name, double value) => scalars.Add(name, value);
}
