using System.Runtime;

namespace SignTranslate.Training;

/// <summary>
/// Keeps the garbage collector out of one training step (docs/training.md#a-rare-internal-error). TorchSharp frees its
/// temporary scalars in finalizers while native calls may still read them, so a collection during a step (set off by
/// any thread's allocations, the batch workers' included) can fail the step. The step runs in a no-GC region with
/// room for <see cref="Budget"/> bytes: the collection that makes the room happens before the step, and the finalizers
/// it queues run before the step too. A step (with its workers) that allocates more ends the region early.
/// </summary>
internal sealed class CollectionFreeStep : IDisposable
{
    /// <summary>Managed allocation a step may make without a collection (a pose-only synthetic step with its prefetching: about 2 MB).</summary>
    public const long Budget = 16L * 1024 * 1024;

    private readonly bool _started;

    public CollectionFreeStep()
    {
        try
        {
            _started = GC.TryStartNoGCRegion(Budget);
        }
        catch (InvalidOperationException)
        {
            // Already in a region; run without a new one.
        }
        GC.WaitForPendingFinalizers();
    }

    public void Dispose()
    {
        if (_started && GCSettings.LatencyMode == GCLatencyMode.NoGCRegion)
            GC.EndNoGCRegion();
    }
}
