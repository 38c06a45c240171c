using SignTranslate.Data;
using SignTranslate.Distributed;
using SignTranslate.Randomness;
using SignTranslate.Training.Tasks;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SignTranslate.Training;

/// <summary>
/// How an optimisation over several micro-batches (gradient accumulation, data-parallel processes, or both) combines
/// them so that the result is what k data-parallel workers with DistributedDataParallel compute (the reference's set-up):
/// <list type="bullet">
/// <item>gradients: summed over the micro-batches of this process, summed over processes (<see cref="Group"/>), divided by
/// the step's micro-batch count (every step is whole: an epoch leaves out micro-batches that fill no step);</item>
/// <item>dropout: with more than one slot per step, each micro-batch seeds LibTorch's generator from (run seed, epoch, step,
/// slot), so a slot draws the same in any process; with one slot the generator runs on as it always did;</item>
/// <item>buffers (BatchNorm running statistics): those the first micro-batch of the step leaves, as DDP's default
/// broadcast of process 0's buffers keeps them; the other micro-batches normalise with their own batch statistics but do
/// not move the running ones.</item>
/// </list>
/// </summary>
/// <param name="Seed">run.seed.</param>
/// <param name="SlotsPerStep">Micro-batches of a full optimizer step over all processes (accumulate_steps × processes).</param>
/// <param name="Buffers">The task's buffers (running statistics).</param>
/// <param name="Group">The processes of a data-parallel run; null in a single process.</param>
public sealed record MicroBatching(int Seed, int SlotsPerStep, IReadOnlyList<Tensor> Buffers, IProcessGroup? Group = null)
{
    /// <summary>One micro-batch per step in one process: nothing is averaged, seeded or restored.</summary>
    public static MicroBatching None { get; } = new(0, 1, []);

    /// <summary>Seeds the dropout of micro-batch <paramref name="slot"/> when a step has several slots.</summary>
    public void SeedDropout(StepPosition position, int slot)
    {
        if (SlotsPerStep > 1)
            manual_seed(BatchPlan.Seed(BatchPlan.Seed(Seed, position.Epoch, SeedStreams.MicroBatchDropout), position.StepInEpoch, slot));
    }

    /// <summary>The buffers after the first micro-batch, to restore after the others (null when there is nothing to keep).</summary>
    public IReadOnlyList<Tensor>? SnapshotBuffers(int microBatchIndex)
    {
        if (SlotsPerStep == 1 || microBatchIndex != 0 || Buffers.Count == 0) return null;
        using var noGrad = no_grad();
        return Buffers.Select(b => b.clone().DetachFromDisposeScope()).ToList();
    }

    /// <summary>Puts back the first micro-batch's buffers, then takes process 0's (DDP's buffer broadcast).</summary>
    public void RestoreBuffers(IReadOnlyList<Tensor>? snapshot)
    {
        using var noGrad = no_grad();
        if (snapshot is not null)
        {
            for (var i = 0; i < Buffers.Count; i++) Buffers[i].copy_(snapshot[i]);
            foreach (var copy in snapshot) copy.Dispose();
        }
        if (Group is not null && Buffers.Count > 0) Group.BroadcastFromFirst(Buffers);
    }

    /// <summary>
    /// Turns this process's summed micro-batch gradients into the mean over the step's micro-batches of all processes. A
    /// parameter with a gradient in any process gets one (zeros elsewhere), so every process reduces the same tensors.
    /// </summary>
    public void AverageGradients(IReadOnlyList<Parameter> parameters)
    {
        if (SlotsPerStep == 1) return;
        using var noGrad = no_grad();
        if (Group is not null)
        {
            using var scope = NewDisposeScope();
            var present = tensor(parameters.Select(p => p.grad is null ? 0f : 1f).ToArray());
            Group.SumInPlace([present]);
            var any = present.data<float>().ToArray();
            var gradients = new List<Tensor>();
            for (var i = 0; i < parameters.Count; i++)
            {
                if (any[i] == 0) continue;
                if (parameters[i].grad is null) parameters[i].grad = zeros_like(parameters[i]).DetachFromDisposeScope();
                gradients.Add(parameters[i].grad!);
            }
            Group.SumInPlace(gradients);
        }
        foreach (var parameter in parameters) parameter.grad?.div_(SlotsPerStep);
    }
}
