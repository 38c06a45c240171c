using System.Globalization;
using SignTranslate.Files;

namespace SignTranslate.Data.FrameCache;

/// <summary>
/// What a sample's frames come from: a clip of a video file, or the frame files of a folder. It names the cache
/// entry of a sample (id, source, clip: the same id may name different clips in different manifests) and says
/// whether the files changed since they were cached (count, total size, latest modification time).
/// </summary>
public sealed record ClipSource(string Id, string Path, string Clip, IReadOnlyList<string> Files, bool IsVideo)
{
    public string Key => MakeKey(Id, Path, Clip);

    // A separator no id or path contains in practice; keys are never written anywhere, only compared.
    public static string MakeKey(string id, string source, string clip) => $"{id}\u001f{source}\u001f{clip}";

    /// <param name="imageRoot">The folder frame paths are relative to; null: they are full paths (manifests).</param>
    /// <exception cref="InputException">The sample names no frames, or a frame path leaves the image root.</exception>
    public static ClipSource Of(SignSample sample, string? imageRoot)
    {
        if (sample.VideoFile is { } file)
        {
            var clip = string.Create(CultureInfo.InvariantCulture, $"{sample.Clip.Start}-{sample.Clip.End}");
            return new ClipSource(sample.Id, file, clip, [file], IsVideo: true);
        }
        if (sample.FramePaths.Count == 0)
            throw new InputException($"sample '{sample.Id}': the sample names no frames");
        var files = sample.FramePaths
            .Select(p => imageRoot is null ? p : PathsFromData.Resolve(imageRoot, p, $"sample '{sample.Id}': frame"))
            .ToList();
        return new ClipSource(sample.Id, files[0], "", files, IsVideo: false);
    }

    /// <summary>The <see cref="Key"/> of a sample's source without resolving every frame path (loading needs only the key).</summary>
    public static string KeyOf(SignSample sample, string? imageRoot)
    {
        if (sample.VideoFile is not null || sample.FramePaths.Count == 0) return Of(sample, imageRoot).Key;
        var first = sample.FramePaths[0];
        return MakeKey(sample.Id, imageRoot is null ? first : PathsFromData.Resolve(imageRoot, first, $"sample '{sample.Id}': frame"), "");
    }

    /// <summary>Count, total size and latest modification time (Unix ms) of the files now; null when one is missing.</summary>
    public (int Files, long Bytes, long Mtime)? Fingerprint()
    {
        long bytes = 0, mtime = 0;
        foreach (var path in Files)
        {
            var info = new FileInfo(path);
            if (!info.Exists) return null;
            bytes += info.Length;
            mtime = Math.Max(mtime, new DateTimeOffset(info.LastWriteTimeUtc).ToUnixTimeMilliseconds());
        }
        return (Files.Count, bytes, mtime);
    }

    /// <summary>Whether <paramref name="entry"/> was cached from these files as they are now.</summary>
    public bool Unchanged(CacheEntry entry) =>
        Fingerprint() is { } now && now == (entry.SourceFiles, entry.SourceBytes, entry.SourceMtime);
}
