using SignTranslate.Data;
using SignTranslate.Text;
using static TorchSharp.torch;

namespace SignTranslate.Tests.Data;

public sealed class PrefetcherTests
{
    private sealed class Item(int index, Action onDispose) : IDisposable
    {
        public int Index { get; } = index;
        public void Dispose() => onDispose();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public void DeliversEveryItemInIndexOrder(int workers)
    {
        using var prefetcher = new Prefetcher<Item>(20, (i, _) =>
        {
            Thread.Sleep(Random.Shared.Next(0, 4));
            return new Item(i, () => { });
        }, workers, ahead: 3);
        Assert.Equal(Enumerable.Range(0, 20), prefetcher.Remaining().Select(item => item.Index));
        Assert.Null(prefetcher.Next());
    }

    [Fact]
    public void NeverHoldsMoreThanTheBoundAhead()
    {
        var produced = 0;
        var consumed = 0;
        var worst = 0;
        using var prefetcher = new Prefetcher<Item>(30, (i, _) =>
        {
            var inFlight = Interlocked.Increment(ref produced) - Volatile.Read(ref consumed);
            InterlockedMax(ref worst, inFlight);
            return new Item(i, () => { });
        }, workers: 4, ahead: 2);
        while (prefetcher.Next() is not null)
        {
            Thread.Sleep(2); // a slow training step
            Interlocked.Increment(ref consumed);
        }
        Assert.Equal(30, produced);
        Assert.InRange(worst, 1, 2 + 1); // the item just handed out plus at most `ahead` prepared
    }

    [Fact]
    public async Task DisposeStopsWorkersAndDisposesUndeliveredItems()
    {
        var produced = 0;
        var disposed = 0;
        var prefetcher = new Prefetcher<Item>(1000, (i, token) =>
        {
            Interlocked.Increment(ref produced);
            token.WaitHandle.WaitOne(1);
            return new Item(i, () => Interlocked.Increment(ref disposed));
        }, workers: 2, ahead: 4);
        var first = prefetcher.Next()!;
        var second = prefetcher.Next()!;
        Thread.Sleep(50);
        var dispose = Task.Run(prefetcher.Dispose);
        await dispose.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, first.Index);
        Assert.Equal(1, second.Index);
        Assert.InRange(produced, 2, 2 + 4 + 2);
        Assert.Equal(produced - 2, disposed); // everything prepared but never handed out
        Assert.Throws<ObjectDisposedException>(() => prefetcher.Next());
    }

    [Fact]
    public void CancellationTokenStopsAWaitingConsumer()
    {
        using var cancel = new CancellationTokenSource();
        using var prefetcher = new Prefetcher<Item>(5, (i, token) =>
        {
            token.WaitHandle.WaitOne(TimeSpan.FromSeconds(30));
            token.ThrowIfCancellationRequested();
            return new Item(i, () => { });
        }, workers: 1, ahead: 1, cancel.Token);
        cancel.CancelAfter(50);
        Assert.ThrowsAny<OperationCanceledException>(() => prefetcher.Next());
    }

    [Fact]
    public void AProducerErrorSurfacesAtItsIndex()
    {
        using var prefetcher = new Prefetcher<Item>(5, (i, _) =>
            i == 2 ? throw new InvalidDataException("frame 7 is corrupt") : new Item(i, () => { }), workers: 2, ahead: 2);
        Assert.Equal(0, prefetcher.Next()!.Index);
        Assert.Equal(1, prefetcher.Next()!.Index);
        var error = Assert.Throws<InvalidDataException>(() => prefetcher.Next());
        Assert.Equal("frame 7 is corrupt", error.Message);
    }

    private sealed class RandomVideos : IVideoSource
    {
        // Frame count and content depend only on the sample and the batch's random stream, like a real loader.
        public Tensor Load(SignSample sample, bool training, Random rng, FrameSelection? selection = null)
        {
            var values = Enumerable.Range(0, sample.FrameCount * 3 * 4 * 4).Select(_ => (float)rng.NextDouble()).ToArray();
            return tensor(values, [sample.FrameCount, 3, 4, 4]);
        }
    }

    [Fact]
    public void BatchesAreIdenticalWhicheverWorkerBuildsThem()
    {
        var samples = Enumerable.Range(0, 10)
            .Select(i => new SignSample { Id = $"train/{i}", Text = $"wort{i} und noch mehr worte hier", FrameCount = 3 + i })
            .ToList();
        var tokenizer = VocabularyTokenizer.TrainWords(samples.Select(s => s.Text), "de_DE");
        var builder = new SignBatchBuilder(samples, new RandomVideos(), tokenizer, new DataOptions(), training: true, withMaskedText: true);
        var plan = BatchPlan.Batches(samples.Count, 3, shuffle: true, seed: 9, epoch: 2, dropLast: false);

        List<(string[] Ids, float Frames, long[] Masked)> Run(int workers)
        {
            using var prefetcher = new Prefetcher<SignBatch>(plan.Count,
                (b, _) => builder.Build(plan[b], BatchPlan.Seed(9, 2, b)), workers, ahead: 2);
            var result = new List<(string[], float, long[])>();
            while (prefetcher.Next() is { } batch)
                using (batch)
                using (var scope = NewDisposeScope())
                    result.Add((batch.Ids.ToArray(), batch.Video.Frames!.sum().item<float>(), batch.MaskedText!.InputIds.data<long>().ToArray()));
            return result;
        }

        var inline = Run(0);
        var threaded = Run(3);
        Assert.Equal(4, inline.Count);
        Assert.Equal(plan.SelectMany(b => b).Select(i => $"train/{i}"), inline.SelectMany(r => r.Ids));
        for (var b = 0; b < inline.Count; b++)
        {
            Assert.Equal(inline[b].Ids, threaded[b].Ids);
            Assert.Equal(inline[b].Frames, threaded[b].Frames);
            Assert.Equal(inline[b].Masked, threaded[b].Masked);
            Assert.Contains((long)tokenizer.MaskId, inline[b].Masked);
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current) { }
    }
}
