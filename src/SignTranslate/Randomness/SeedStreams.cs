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
}
