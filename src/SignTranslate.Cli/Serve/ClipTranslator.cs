using System.Collections.Concurrent;
using System.Diagnostics;
using SignTranslate.Data;
using SignTranslate.Models;
using SignTranslate.Training;

namespace SignTranslate.Cli.Serve;

/// <summary>
/// The one loaded model behind <c>slt serve</c>. Requests take turns (a semaphore): one model's forward is not meant to
/// run on several threads at once, and CPU inference already uses every core. Clips are prepared as <c>slt translate</c>
/// prepares them (the checkpoint's frame and video settings, its evaluation batching) and explained with
/// <see cref="ExplainedTranslator"/>.
/// </summary>
public sealed class ClipTranslator : IDisposable
{
    private readonly CheckpointContents _checkpoint;
    private readonly TorchSharp.torch.Device _device;
    private readonly SignTranslate.Models.SltModel _model;
    private readonly IVideoSource _videos;
    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly ServeOptions _options;
    private readonly Lazy<(ExperimentData? Data, string? Problem)> _dataset;
    private readonly ConcurrentDictionary<string, string> _stages = new();
    private int _waiting;

    public ClipTranslator(ServeOptions options)
    {
        _options = options;
        _checkpoint = TrainedModels.Read(options.Checkpoint, options.Overrides);
        var config = _checkpoint.Config;
        _device = TrainedModels.PrepareDevice(config);
        if (_checkpoint.Config.Model.Input != ModelInput.Rgb)
            throw new InputException($"{options.Checkpoint}: slt serve shows RGB models; this checkpoint reads model.input " +
                $"{_checkpoint.Config.Model.Input.YamlName()} (use slt translate for it)");
        _model = TrainedModels.LoadSlt(_checkpoint, _device);
        _model.eval();
        _videos = new DiskVideoSource(new VideoLoader(imageRoot: null, config.Data.Frames, config.Data.Augmentation, config.Data.Video));
        _dataset = new(OpenDataset);
    }

    /// <summary>Requests waiting for or holding the model.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>The test clips of the checkpoint's dataset (ids), or why there are none.</summary>
    public (IReadOnlyList<string> Ids, string? Problem) TestClips()
    {
        var (data, problem) = _dataset.Value;
        return data is null ? ([], problem) : (data.Samples(Split.Test).Select(s => s.Id).ToList(), null);
    }

    /// <summary>What the request that named <paramref name="progressId"/> is doing now (null: not running or finished).</summary>
    public string? Stage(string progressId) => _stages.GetValueOrDefault(progressId);

    /// <summary>Translates a clip that was uploaded (already saved as a video file or a folder of frames).</summary>
    public Task<ClipReport> TranslateAsync(string name, SignSample sample, string? progressId, CancellationToken cancel) =>
        InTurn(progressId, () => Explain(name, new SignBatchBuilder([sample], _videos, _checkpoint.Tokenizer, _checkpoint.Config.Data, training: false, withMaskedText: false), 0, progressId), cancel);

    /// <summary>Translates test clip number <paramref name="index"/> of the checkpoint's dataset.</summary>
    public Task<ClipReport> TranslateTestClipAsync(int index, string? progressId, CancellationToken cancel)
    {
        var (data, problem) = _dataset.Value;
        if (data is null) throw new InputException(problem!);
        var samples = data.Samples(Split.Test);
        if (index < 0 || index >= samples.Count) throw new InputException($"no test clip {index}: the test split has {samples.Count} clips (0..{samples.Count - 1})");
        return InTurn(progressId, () => Explain(samples[index].Id, data.Batches(Split.Test, _checkpoint.Tokenizer, training: false, withMaskedText: false), index, progressId), cancel);
    }

    private async Task<ClipReport> InTurn(string? progressId, Func<ClipReport> work, CancellationToken cancel)
    {
        var ahead = Interlocked.Increment(ref _waiting) - 1;
        try
        {
            if (ahead > _options.MaxQueue)
                throw new BusyException($"the server is busy ({_options.MaxQueue} requests already wait); try again shortly");
            if (progressId is not null) _stages[progressId] = $"waiting for the model ({ahead} request(s) ahead)";
            await _turn.WaitAsync(cancel);
            try { return work(); }
            finally { _turn.Release(); }
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
            if (progressId is not null) _stages.TryRemove(progressId, out _);
        }
    }

    private ClipReport Explain(string name, SignBatchBuilder builder, int index, string? progressId)
    {
        var clock = Stopwatch.StartNew();
        if (progressId is not null) _stages[progressId] = "decoding the video";
        using var batch = builder.Build([index], 0);
        var decodeSeconds = clock.Elapsed.TotalSeconds;
        clock.Restart();
        if (progressId is not null) _stages[progressId] = $"translating {batch.Video.FrameCounts[0]} frames (beam search, then attention)";
        var explained = ExplainedTranslator.Explain(_model, batch, _checkpoint.Tokenizer, _checkpoint.Config.Eval, _device);
        var thumbnails = ClipThumbnails.Of(batch.Video, _options.Thumbnails);
        return ClipReport.From(name, explained, thumbnails, decodeSeconds, clock.Elapsed.TotalSeconds);
    }

    private (ExperimentData?, string?) OpenDataset()
    {
        try
        {
            var data = ExperimentData.Open(_checkpoint.Config);
            data.Samples(Split.Test);
            return (data, null);
        }
        catch (Exception e) when (e is InputException or IOException or UnauthorizedAccessException)
        {
            return (null, $"the checkpoint's dataset is not readable here: {e.Message}");
        }
    }

    public void Dispose()
    {
        _model.Dispose();
        _turn.Dispose();
    }
}

/// <summary>The queue is full: answered with 503.</summary>
public sealed class BusyException(string message) : Exception(message);
