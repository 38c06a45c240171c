using SignTranslate.Data;
using SignTranslate.Losses;
using SignTranslate.Randomness;

namespace SignTranslate.Training.Tasks;

/// <summary>
/// A task's SignCL criterion per micro-batch slot (<see cref="MicroBatch.Slot"/>): each slot draws from its own stream,
/// reseeded per epoch, so one process accumulating k micro-batches draws what k data-parallel processes draw, and slot 0
/// draws exactly what a run without accumulation always drew.
/// </summary>
public sealed class SignClStreams(SignClOptions options, int seed)
{
    private readonly Dictionary<int, SignCl> _bySlot = [];
    private int? _epoch;

    public SignClOptions Options => options;

    /// <summary>Every slot starts the epoch's stream; a resumed run draws what an uninterrupted one draws.</summary>
    public void BeginEpoch(int epoch)
    {
        _epoch = epoch;
        _bySlot.Clear();
    }

    /// <summary>The criterion of <paramref name="slot"/>; before the first epoch slot 0 draws from the run seed itself.</summary>
    public SignCl For(int slot)
    {
        if (_bySlot.TryGetValue(slot, out var signCl)) return signCl;
        var streamSeed = _epoch is { } epoch ? BatchPlan.Seed(seed, epoch, SeedStreams.SignClSamplingOfSlot(slot))
            : slot == 0 ? seed : BatchPlan.Seed(seed, 0, SeedStreams.SignClSamplingOfSlot(slot));
        return _bySlot[slot] = new SignCl(options, streamSeed);
    }
}
