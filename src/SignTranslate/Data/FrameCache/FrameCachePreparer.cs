using System.Collections.Concurrent;
using System.Diagnostics;
using Serilog;
using SignTranslate.Data.Video;

namespace SignTranslate.Data.FrameCache;

/// <summary>What <c>slt data prepare</c> did.</summary>
/// <param name="Clips">Distinct clips of all splits.</param>
/// <param name="Written">Clips decoded and added to the cache in this run.</param>
/// <param name="Unchanged">Clips already cached from the same source files, skipped.</param>
/// <param name="Problems">Clips that could not be decoded (not cached), and splits that could not be read.</param>
public sealed record PrepareReport(string Folder, int Clips, int Written, int Unchanged, IReadOnlyList<DataProblem> Problems)
{
    public bool Ok => Problems.Count == 0;
}

/// <summary>
/// Fills the frame cache (docs/datasets.md#frame-cache): every clip of every split decoded once, as training would
/// decode it. Video files are decoded at the configured rate and size and stored as JPEG; frame files are stored
/// as they are. Clips already cached from unchanged files are skipped, so a second run only adds what is new or
/// changed and an interrupted run continues. Clips decode in parallel; a clip that fails is reported, not fatal.
/// </summary>
public static class FrameCachePreparer
{
    /// <param name="parallelism">Clips decoded at once (each video clip is one FFmpeg process).</param>
    /// <param name="shardBytes">Size at which a new shard starts (tests make it small).</param>
    /// <exception cref="InputException">No cache folder configured, synthetic data, or a cache made with other settings.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancel"/> fired; every clip appended so far stays.</exception>
    public static PrepareReport Prepare(DataOptions options, string configFolder, int parallelism, CancellationToken cancel = default,
        long shardBytes = CacheFormat.DefaultShardBytes)
    {
        var folder = DataPaths.CacheFolder(options, configFolder)
                     ?? throw new InputException("data.cache.folder is not set: name the folder the frame cache goes to");
        if (options.Kind == DatasetKind.Synthetic)
            throw new InputException("data.kind is synthetic: its frames are rendered in memory and need no cache");
        var decoding = DataPaths.VideoDecoding(options);
        var imageRoot = DataPaths.FramePathRoot(options, configFolder);

        var problems = new ConcurrentBag<(int Order, DataProblem Problem)>();
        var sources = new List<(Split Split, SignSample Sample, ClipSource Source)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var split in Enum.GetValues<Split>())
        {
            try
            {
                foreach (var sample in DatasetReader.Read(options, configFolder, split))
                {
                    try
                    {
                        var source = ClipSource.Of(sample, imageRoot);
                        if (seen.Add(source.Key)) sources.Add((split, sample, source));
                    }
                    catch (InputException e)
                    {
                        problems.Add((-1, DataProblem.Of(split, sample, e.Message)));
                    }
                }
            }
            catch (InputException e)
            {
                problems.Add((-1, new DataProblem(split, null, e.Message)));
            }
        }

        var header = new CacheHeader(CacheFormat.Version, decoding.FramesPerSecond, decoding.Width, decoding.Height, options.Cache.JpegQuality);
        using var writer = FrameCacheWriter.Open(folder, header, shardBytes);
        if (writer.Existing.Dropped > 0)
            Log.Warning("{Dropped} indexed clips have lost their bytes (a shard was cut or deleted); they are decoded again", writer.Existing.Dropped);
        int written = 0, unchanged = 0, failed = 0, done = 0;
        var clock = Stopwatch.StartNew();
        var lastReport = TimeSpan.Zero;
        var reportLock = new object();
        Log.Information("Preparing the frame cache {Folder}: {Clips} clips ({Cached} indexed already)", folder, sources.Count, writer.Existing.Entries.Count);

        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism), CancellationToken = cancel };
        Parallel.For(0, sources.Count, parallel, i =>
        {
            var (split, sample, source) = sources[i];
            if (writer.Existing.Entries.TryGetValue(source.Key, out var cached) && source.Unchanged(cached))
                Interlocked.Increment(ref unchanged);
            else if (Encode(sample, source, decoding, options.Cache.JpegQuality, cancel) is var (entry, frames, problem) && problem is null)
            {
                writer.Append(entry!, frames!);
                Interlocked.Increment(ref written);
            }
            else
            {
                problems.Add((i, DataProblem.Of(split, sample, problem!)));
                Interlocked.Increment(ref failed);
            }
            var finished = Interlocked.Increment(ref done);
            lock (reportLock)
            {
                if (clock.Elapsed - lastReport < TimeSpan.FromSeconds(2) && finished < sources.Count) return;
                lastReport = clock.Elapsed;
            }
            Log.Information("{Done}/{Clips} clips: {Written} written, {Unchanged} unchanged, {Failed} failed ({Rate:F1} clips/s)",
                finished, sources.Count, written, unchanged, failed, finished / Math.Max(clock.Elapsed.TotalSeconds, 1e-3));
        });
        return new PrepareReport(folder, sources.Count, written, unchanged, problems.OrderBy(p => p.Order).Select(p => p.Problem).ToList());
    }

    /// <summary>A clip's cache entry (placement left to the writer) and frame bytes, or why it cannot be cached.</summary>
    private static (CacheEntry? Entry, IReadOnlyList<byte[]>? Frames, string? Problem) Encode(
        SignSample sample, ClipSource source, VideoDecoding decoding, int quality, CancellationToken cancel)
    {
        // Taken before reading, so that a file changed while it is read counts as changed on the next run.
        if (source.Fingerprint() is not { } fingerprint)
            return (null, null, $"{(source.IsVideo ? "video file" : "a frame file")} missing: " +
                                $"{source.Files.FirstOrDefault(f => !File.Exists(f)) ?? source.Path}");
        try
        {
            byte[][] frames;
            int height, width;
            FrameStorage storage;
            if (source.IsVideo)
            {
                using var clip = VideoFileDecoder.Decode(source.Path, sample.Clip, decoding, cancel);
                frames = JpegFrames.Encode(clip, quality);
                (height, width, storage) = ((int)clip.shape[2], (int)clip.shape[3], FrameStorage.Jpeg);
            }
            else
            {
                frames = new byte[source.Files.Count][];
                (height, width, storage) = (0, 0, FrameStorage.Original);
                for (var k = 0; k < frames.Length; k++)
                {
                    cancel.ThrowIfCancellationRequested();
                    frames[k] = File.ReadAllBytes(source.Files[k]);
                    // Decoded once here so that a bad frame is reported now, not in the middle of training.
                    using var frame = FrameDecoder.Decode(frames[k]);
                    if (k == 0) (height, width) = ((int)frame.shape[1], (int)frame.shape[2]);
                    else if (frame.shape[1] != height || frame.shape[2] != width)
                        return (null, null, $"frame {source.Files[k]} is {frame.shape[2]}x{frame.shape[1]}, the first frame {width}x{height}");
                }
            }
            var entry = new CacheEntry(sample.Id, source.Path, source.Clip, fingerprint.Files, fingerprint.Bytes, fingerprint.Mtime,
                0, 0, [], height, width, storage);
            return (entry, frames, null);
        }
        catch (VideoFileException e)
        {
            return (null, null, e.Message);
        }
        catch (InvalidDataException e)
        {
            return (null, null, $"a frame cannot be decoded: {e.Message}");
        }
        catch (IOException e)
        {
            return (null, null, $"cannot be read: {e.Message}");
        }
    }
}
