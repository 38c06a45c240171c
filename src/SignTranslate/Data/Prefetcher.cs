using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace SignTranslate.Data;

/// <summary>
/// Prepares items 0..count−1 (e.g. the batches of an epoch) on background threads while the caller consumes them in
/// order. At most <c>ahead</c> items exist at once (prepared, in preparation, or handed out and not yet asked past),
/// which bounds memory. Items are delivered in index order whatever thread finished first; with a producer that
/// depends only on the index, the sequence is deterministic. <see cref="Dispose"/> (or cancelling the token) stops the
/// workers and disposes items that were prepared but never handed out. With 0 workers items are produced inline.
/// </summary>
public sealed class Prefetcher<T> : IDisposable where T : class
{
    private readonly Func<int, CancellationToken, T> _produce;
    private readonly int _count;
    private readonly TaskCompletionSource<T>?[] _results;
    private readonly SemaphoreSlim _slots;
    private readonly CancellationTokenSource _stop;
    private readonly Task[] _workers;
    private int _nextToProduce = -1;
    private int _nextToConsume;
    private bool _disposed;

    public Prefetcher(int count, Func<int, CancellationToken, T> produce, int workers, int ahead, CancellationToken cancel = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegative(workers);
        ArgumentOutOfRangeException.ThrowIfLessThan(ahead, 1);
        _produce = produce;
        _count = count;
        _results = new TaskCompletionSource<T>?[count];
        for (var i = 0; i < count; i++) _results[i] = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _slots = new SemaphoreSlim(ahead, ahead);
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        _workers = Enumerable.Range(0, workers)
            .Select(_ => Task.Factory.StartNew(Work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default))
            .ToArray();
    }

    /// <summary>Total time <see cref="Next"/> spent waiting for an item that was not ready yet.</summary>
    public TimeSpan WaitTime { get; private set; }

    /// <summary>The next item in index order, or null after the last. The caller owns (and disposes) it.</summary>
    public T? Next()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_nextToConsume >= _count) return null;
        var index = _nextToConsume;
        if (_workers.Length == 0)
        {
            _nextToConsume++;
            var started = Stopwatch.GetTimestamp();
            var inline = _produce(index, _stop.Token);
            WaitTime += Stopwatch.GetElapsedTime(started);
            return inline;
        }
        var pending = _results[index]!.Task;
        if (!pending.IsCompleted)
        {
            var started = Stopwatch.GetTimestamp();
            try { pending.Wait(_stop.Token); }
            catch (AggregateException) { /* rethrown below with its original stack */ }
            WaitTime += Stopwatch.GetElapsedTime(started);
        }
        if (pending.IsFaulted) ExceptionDispatchInfo.Capture(pending.Exception!.InnerException!).Throw();
        if (pending.IsCanceled) throw new OperationCanceledException(_stop.Token);
        _results[index] = null;
        _nextToConsume++;
        _slots.Release();
        return pending.Result;
    }

    /// <summary>All remaining items in order.</summary>
    public IEnumerable<T> Remaining()
    {
        while (Next() is { } item) yield return item;
    }

    private void Work()
    {
        var token = _stop.Token;
        try
        {
            while (true)
            {
                _slots.Wait(token);
                var index = Interlocked.Increment(ref _nextToProduce);
                if (index >= _count) { _slots.Release(); return; }
                try
                {
                    _results[index]!.TrySetResult(_produce(index, token));
                }
                catch (OperationCanceledException) when (token.IsCancellationRequested)
                {
                    _results[index]!.TrySetCanceled(token);
                    return;
                }
                catch (Exception e)
                {
                    _results[index]!.TrySetException(e);
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _stop.Cancel();
        Task.WaitAll(_workers);
        foreach (var result in _results)
            if (result is { Task.IsCompletedSuccessfully: true } && result.Task.Result is IDisposable disposable)
                disposable.Dispose();
        _slots.Dispose();
        _stop.Dispose();
    }
}
