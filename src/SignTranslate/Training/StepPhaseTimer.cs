using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace SignTranslate.Training;

/// <summary>The parts of a training step that <see cref="StepPhaseTimer"/> tells apart.</summary>
public enum StepPhase
{
    /// <summary>Everything outside an optimisation: the forward passes and the losses.</summary>
    Forward,

    /// <summary><c>zero_grad</c>, <c>backward</c> and gradient clipping.</summary>
    Backward,

    /// <summary>The optimizer's <c>step</c>.</summary>
    Optimizer,
}

/// <summary>
/// Wall time per <see cref="StepPhase"/>: each <see cref="Mark"/> books the time since the previous mark to the phase
/// that just ended. On a GPU it waits for the device first, so that a phase is not booked the kernels it queued; the
/// trainer never uses it for that reason (only <c>slt bench step</c> does).
/// </summary>
public sealed class StepPhaseTimer(Device device)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly double[] _milliseconds = new double[Enum.GetValues<StepPhase>().Length];
    private TimeSpan _last;

    /// <summary>Books the time since the previous mark (or since construction) to <paramref name="ended"/>.</summary>
    public void Mark(StepPhase ended)
    {
        if (device.type == DeviceType.CUDA) cuda.synchronize(device);
        var now = _clock.Elapsed;
        _milliseconds[(int)ended] += (now - _last).TotalMilliseconds;
        _last = now;
    }

    /// <summary>Milliseconds booked to <paramref name="phase"/> so far.</summary>
    public double Milliseconds(StepPhase phase) => _milliseconds[(int)phase];

    /// <summary>Milliseconds since construction up to the last mark.</summary>
    public double TotalMilliseconds => _last.TotalMilliseconds;
}
