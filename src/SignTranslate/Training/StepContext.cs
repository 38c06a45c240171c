using SignTranslate.Training.Tasks;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SignTranslate.Training;

// One optimisation of a training step: the step context that tasks call, and the gradient clipping it applies.

// ---- StepContext -----------------------------------------------------------------------------------------------------

/// <summary>
/// The trainer's <see cref="IStepContext"/>: runs each optimisation with the slot's optimizer and clipping, and logs
/// into the run's <see cref="LoggedScalars"/>. No call reads a value from the device. With a <paramref name="timer"/>
/// (benchmarks only: it waits for the device) each optimisation books its forward, backward and optimizer time.
/// <paramref name="microBatches"/> says how an optimisation over several micro-batches averages its gradients.
/// </summary>
public sealed class StepContext(StepPosition position, IReadOnlyDictionary<string, OptimizerSlot> slots, LoggedScalars scalars,
    StepPhaseTimer? timer = null, MicroBatching? microBatches = null) : IStepContext
{
    private readonly MicroBatching _micro = microBatches ?? MicroBatching.None;

    public StepPosition Position => position;

    public void Optimize(string optimizer, Tensor loss)
    {
        var slot = Slot(optimizer);
        timer?.Mark(StepPhase.Forward);
        slot.Optimizer.zero_grad();
        loss.backward();
        Step(slot);
    }

    public void Optimize(string optimizer, IReadOnlyList<MicroBatch> batches, Func<MicroBatch, Tensor> loss)
    {
        var slot = Slot(optimizer);
        slot.Optimizer.zero_grad();
        IReadOnlyList<Tensor>? firstBuffers = null;
        for (var i = 0; i < batches.Count; i++)
        {
            // Each micro-batch's activations go when its backward is done: memory does not grow with accumulation.
            using var scope = NewDisposeScope();
            _micro.SeedDropout(position, batches[i].Slot);
            scalars.BeginMicroBatch();
            var value = loss(batches[i]);
            timer?.Mark(StepPhase.Forward);
            value.backward();
            scalars.EndMicroBatch();
            firstBuffers ??= _micro.SnapshotBuffers(i);
            timer?.Mark(StepPhase.Backward);
        }
        _micro.RestoreBuffers(firstBuffers);
        _micro.AverageGradients(slot.Parameters);
        Step(slot);
    }

    public void Log(string name, Tensor value) => scalars.Add(name, value);

    public void Log(string name, double value) => scalars.Add(name, value);

    private OptimizerSlot Slot(string optimizer) => slots.TryGetValue(optimizer, out var slot) ? slot
        : throw new ArgumentException($"the task has no optimizer '{optimizer}' (it has {string.Join(", ", slots.Keys)})", nameof(optimizer));

    /// <summary>Clipping when configured, then the optimizer step, on the (averaged) gradients.</summary>
    private void Step(OptimizerSlot slot)
    {
        if (slot.Options.GradClip > 0)
        {
            var name = $"grad_norm_{slot.Name}";
            // No gradient at all has norm 0, as LibTorch's clip_grad_norm_ reports it.
            if (GradientClipping.ClipNorm(slot.Parameters, slot.Options.GradClip) is { } norm) Log(name, norm);
            else Log(name, 0.0);
        }
        timer?.Mark(StepPhase.Backward);
        slot.Optimizer.step();
        timer?.Mark(StepPhase.Optimizer);
    }
}

// ---- GradientClipping ------------------------------------------------------------------------------------------------

/// <summary>
/// Global gradient-norm clipping that stays on the device. LibTorch's <c>clip_grad_norm_</c> (what
/// <c>nn.utils.clip_grad_norm_</c> calls) returns the norm as a double, which makes the host wait for the device at
/// every step; this is the same computation, op for op (so the clipped gradients are the same bits), returning the norm
/// as a tensor instead.
/// </summary>
public static class GradientClipping
{
    /// <summary>
    /// Scales the gradients of <paramref name="parameters"/> in place so that their global L2 norm is at most
    /// <paramref name="maxNorm"/>, and returns that norm before clipping (a 0-dim tensor on the gradients' device), or
    /// null when no parameter has a gradient.
    /// </summary>
    public static Tensor? ClipNorm(IEnumerable<Parameter> parameters, double maxNorm)
    {
        var gradients = parameters.Select(p => p.grad).OfType<Tensor>().ToList();
        if (gradients.Count == 0) return null;
        // p = 2 as a float: an int argument would pick the overload that takes a dimension.
        var norms = gradients.Select(g => g.norm(2.0f)).ToList();
        var total = norms.Count == 1 ? norms[0] : stack(norms).norm(2.0f);
        // LibTorch writes max_norm / (total + 1e-6) with a scalar numerator, which it evaluates as a tensor filled with
        // max_norm divided by the denominator; the same two ops here give the same rounding.
        var denominator = total + 1e-6;
        var coefficient = empty_like(denominator).fill_(maxNorm).div_(denominator).clamp(max: 1.0);
        foreach (var gradient in gradients) gradient.mul_(coefficient);
        return total;
    }
}
