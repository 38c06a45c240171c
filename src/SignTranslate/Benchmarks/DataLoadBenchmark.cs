using System.Diagnostics;
using SignTranslate.Data;
using SignTranslate.Data.FrameCache;
using SignTranslate.Training;

namespace SignTranslate.Benchmarks;

/// <summary>One way of reading clips, timed: how many clips per second one thread prepares.</summary>
/// <param name="Source">What was read: e.g. <c>video files</c>, <c>frame files</c>, <c>frame cache</c>.</param>
/// <param name="Config">The configuration file it came from.</param>
public sealed record DataLoadRow(string Source, string Config, int Clips, int Frames, double Seconds)
{
    public double ClipsPerSecond => Clips / Seconds;
}

/// <summary>
/// Times reading a dataset's clips (decode, frame cap, evaluation transform: what a training worker does, without
/// augmentation) on one thread: from the dataset's files, and from its frame cache when one is configured. The
/// same clips, in the same order, for each; one untimed clip first so that native libraries are loaded.
/// </summary>
public static class DataLoadBenchmark
{
    public static IReadOnlyList<DataLoadRow> Run(ExperimentConfig config, string configName, int clips, CancellationToken cancel = default)
    {
        var data = config.Data;
        var samples = DatasetReader.Read(data, config.BaseDirectory, Split.Train).Take(clips).ToList();
        if (samples.Count == 0) throw new InputException($"{configName}: the train split is empty");
        var imageRoot = DataPaths.FramePathRoot(data, config.BaseDirectory);
        var rows = new List<DataLoadRow>
        {
            Time(samples[0].VideoFile is null ? "frame files" : "video files", configName, samples,
                new DiskVideoSource(new VideoLoader(imageRoot, data.Frames, data.Augmentation, data.Video)), cancel),
        };
        if (DataPaths.CacheFolder(data, config.BaseDirectory) is { } folder)
            rows.Add(Time("frame cache", configName, samples,
                new CachedVideoSource(FrameCacheReader.Open(folder, DataPaths.VideoDecoding(data)), imageRoot, data.Frames, data.Augmentation), cancel));
        return rows;
    }

    private static DataLoadRow Time(string source, string config, IReadOnlyList<SignSample> samples, IVideoSource videos, CancellationToken cancel)
    {
        videos.Load(samples[0], training: false, new Random(0)).Dispose();
        var frames = 0;
        var clock = Stopwatch.StartNew();
        foreach (var sample in samples)
        {
            cancel.ThrowIfCancellationRequested();
            using var clip = videos.Load(sample, training: false, new Random(0));
            frames += (int)clip.shape[0];
        }
        return new DataLoadRow(source, config, samples.Count, frames, clock.Elapsed.TotalSeconds);
    }
}
