using SignTranslate.Data;

namespace SignTranslate.Training;

/// <summary>
/// The batches of a dev/test evaluation: the first <c>count</c> videos in dataset order, in chunks of the batch size,
/// each built from the seed of (run seed, epoch 0, batch index) and prepared ahead on the configured workers. Training's
/// dev evaluation and <c>slt eval</c> both take their batches from here, so the same checkpoint scores the same.
/// </summary>
public static class EvaluationBatches
{
    public static Prefetcher<SignBatch> Prefetch(
        SignBatchBuilder builder, int count, int batchSize, int seed, PrefetchOptions prefetch, CancellationToken cancel)
    {
        var plan = Enumerable.Range(0, count).Chunk(batchSize).ToList();
        return new Prefetcher<SignBatch>(plan.Count, (i, _) => builder.Build(plan[i], BatchPlan.Seed(seed, 0, i)),
            prefetch.Workers, prefetch.BatchesAhead, cancel);
    }
}
