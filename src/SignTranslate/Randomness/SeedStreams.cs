namespace SignTranslate.Randomness;

/// <summary>
/// The random streams of a run, each seeded by <c>Data.BatchPlan.Seed</c>(run.seed, epoch, stream). A batch index
/// (0, 1, …) is the stream of that batch's own draws (frame subset, augmentation, masked words), so a batch is the same
/// whichever worker builds it. The streams below serve a whole epoch; their numbers are negative so that they never
/// coincide with a batch's. The numbers are part of what a seed reproduces: changing one changes every run's results.
/// </summary>
public static class SeedStreams
{
    /// <summary>The order of the training samples in an epoch (the shuffle of <c>Data.BatchPlan.Batches</c>).</summary>
    public const int TrainingOrder = -1;

    /// <summary>SignCL's positive and negative frame draws during an epoch; reseeded per epoch so that a resumed run
    /// draws what an uninterrupted one draws.</summary>
    public const int SignClSampling = -2;

    /// <summary>The dropout (LibTorch generator) of micro-batch slot s ≥ 0 in an optimizer step, seeded per step as
    /// Seed(Seed(run.seed, epoch, this), step, s) when a step has more than one slot (accumulation or several
    /// processes): a slot then draws the same wherever it runs. With one slot the generator runs on as it always did.</summary>
    public const int MicroBatchDropout = -3;

    /// <summary>SignCL's draws for micro-batch slot <paramref name="slot"/> of each step: slot 0 is
    /// <see cref="SignClSampling"/> (what a run without accumulation draws); slot s ≥ 1 its own epoch stream.</summary>
    public static int SignClSamplingOfSlot(int slot) => slot == 0 ? SignClSampling : -1000 - slot;
}
