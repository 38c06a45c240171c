using static TorchSharp.torch;

namespace SignTranslate.Distributed;

/// <summary>
/// The processes of a data-parallel run (one per device), as the trainer needs them: who this process is, the
/// collectives of a step, and a way to end the whole job. The one seam where a communication backend plugs in: MPI now
/// (<see cref="MpiProcessGroup"/>), NCCL beside it later (docs/distributed.md). Every process must make the same calls
/// in the same order with tensors of the same shapes, as with any collective library.
/// </summary>
public interface IProcessGroup : IDisposable
{
    /// <summary>This process: 0 … <see cref="Size"/> − 1. Process 0 writes checkpoints, metrics and logs.</summary>
    int Rank { get; }

    /// <summary>Processes in the run.</summary>
    int Size { get; }

    /// <summary>What the backend does with device tensors, for the log (e.g. "staged through host memory").</summary>
    string Describe();

    /// <summary>Sums <paramref name="tensors"/> over all processes in place (float32 or float64).</summary>
    void SumInPlace(IReadOnlyList<Tensor> tensors);

    /// <summary>Overwrites <paramref name="tensors"/> on every process with those of process 0 (any dtype).</summary>
    void BroadcastFromFirst(IReadOnlyList<Tensor> tensors);

    /// <summary>Whether <paramref name="value"/> is true on any process: how the processes agree to stop together.</summary>
    bool Any(bool value);

    /// <summary>Process 0's <paramref name="text"/> on every process (the others pass anything).</summary>
    string Broadcast(string text);

    /// <summary>Ends every process of the job with <paramref name="exitCode"/> (the launcher reports it); does not return.</summary>
    void Abort(int exitCode);
}
