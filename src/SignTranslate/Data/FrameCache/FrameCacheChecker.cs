using System.Collections.Concurrent;

namespace SignTranslate.Data.FrameCache;

/// <summary>
/// <c>slt data check</c>'s part for a configured frame cache: every sample has a clip in it, cached from its files as
/// they are now, whose frames all decode, as many as the sample lists.
/// </summary>
public static class FrameCacheChecker
{
    public static IReadOnlyList<DataProblem> Check(DataOptions options, string configFolder, IReadOnlyDictionary<Split, IReadOnlyList<SignSample>> splits)
    {
        var folder = DataPaths.CacheFolder(options, configFolder)!;
        FrameCacheReader cache;
        try
        {
            cache = FrameCacheReader.Open(folder, DataPaths.VideoDecoding(options));
        }
        catch (InputException e)
        {
            return [new DataProblem(null, null, e.Message)];
        }
        var imageRoot = DataPaths.FramePathRoot(options, configFolder);
        var found = new ConcurrentBag<(Split Split, int Index, DataProblem Problem)>();
        foreach (var (split, samples) in splits)
            Parallel.For(0, samples.Count, i =>
            {
                if (CheckSample(cache, split, samples[i], imageRoot) is { } problem) found.Add((split, i, problem));
            });
        return found.OrderBy(f => f.Split).ThenBy(f => f.Index).Select(f => f.Problem).ToList();
    }

    private static DataProblem? CheckSample(FrameCacheReader cache, Split split, SignSample sample, string? imageRoot)
    {
        ClipSource source;
        try
        {
            source = ClipSource.Of(sample, imageRoot);
        }
        catch (InputException e)
        {
            return DataProblem.Of(split, sample, e.Message);
        }
        if (cache.Find(source.Key) is not { } entry)
            return DataProblem.Of(split, sample, $"not in the frame cache {cache.Folder}; {FrameCacheReader.PrepareAdvice}");
        if (!source.Unchanged(entry))
            return DataProblem.Of(split, sample, $"{source.Path} changed since it was cached in {cache.Folder}; {FrameCacheReader.PrepareAdvice}");
        if (!source.IsVideo && entry.Frames != source.Files.Count)
            return DataProblem.Of(split, sample, $"the frame cache has {entry.Frames} frames, the sample lists {source.Files.Count}");
        try
        {
            using var frames = cache.Read(entry);
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            return DataProblem.Of(split, sample, $"frame cache {cache.Folder}: {e.Message}; delete the cache and {FrameCacheReader.PrepareAdvice}");
        }
        return null;
    }
}
