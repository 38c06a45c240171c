using System.Text.Json;

namespace SignTranslate.Data.FrameCache;

/// <summary>
/// Appends clips to a cache folder. Opening repairs what an interrupted run left (a torn index line, shard bytes after
/// the last indexed clip), so a run killed at any instant is continued by the next. Each clip's frames are appended
/// to the current shard and flushed to disk before its index line is, so an index line always names bytes that are
/// there. Thread-safe: clips decoded in parallel are appended one at a time.
/// </summary>
public sealed class FrameCacheWriter : IDisposable
{
    private readonly string _folder;
    private readonly long _shardBytes;
    private readonly object _lock = new();
    private readonly FileStream _index;
    private FileStream? _shard;
    private int _shardNumber;

    private FrameCacheWriter(string folder, long shardBytes, FrameCacheIndex existing)
    {
        _folder = folder;
        _shardBytes = shardBytes;
        Existing = existing;
        var indexPath = Path.Combine(folder, CacheFormat.IndexFile);
        _index = new FileStream(indexPath, FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read);
        _index.SetLength(existing.ValidBytes);
        _index.Seek(0, SeekOrigin.End);

        _shardNumber = 0;
        foreach (var file in Directory.EnumerateFiles(folder, "shard-*.bin"))
        {
            if (!int.TryParse(Path.GetFileNameWithoutExtension(file)["shard-".Length..], out var number)) continue;
            var end = existing.ShardEnds.GetValueOrDefault(number);
            if (new FileInfo(file).Length > end)
                using (var torn = new FileStream(file, FileMode.Open, FileAccess.Write))
                    torn.SetLength(end);
            _shardNumber = Math.Max(_shardNumber, number);
        }
    }

    /// <summary>What the folder held when it was opened (after repair).</summary>
    public FrameCacheIndex Existing { get; }

    public string Folder => _folder;

    /// <summary>Opens (creating) a cache folder for appending clips decoded with <paramref name="header"/>'s settings.</summary>
    /// <exception cref="InputException">The folder is a cache made with other settings.</exception>
    public static FrameCacheWriter Open(string folder, CacheHeader header, long shardBytes = CacheFormat.DefaultShardBytes)
    {
        Directory.CreateDirectory(folder);
        var existing = CacheFormat.ReadHeader(folder);
        if (existing is not null && existing != header)
            throw new InputException($"frame cache {folder} was made with other settings ({existing.Describe()}, jpeg quality " +
                                     $"{existing.JpegQuality}, format {existing.Format}) than this configuration's ({header.Describe()}, " +
                                     $"jpeg quality {header.JpegQuality}); delete it or set data.cache.folder to another folder");
        if (existing is null)
        {
            // Written before any clip, and whole (temporary file, then rename), so a cache never has clips without it.
            var temporary = Path.Combine(folder, CacheFormat.HeaderFile + ".tmp");
            File.WriteAllText(temporary, JsonSerializer.Serialize(header, CacheFormat.Json));
            File.Move(temporary, Path.Combine(folder, CacheFormat.HeaderFile), overwrite: true);
        }
        return new FrameCacheWriter(folder, shardBytes, FrameCacheIndex.Read(folder));
    }

    /// <summary>Appends a clip's encoded frames and then its index line; returns the entry with its place filled in.</summary>
    /// <param name="entry">The clip's description; its shard, offset and lengths are replaced.</param>
    public CacheEntry Append(CacheEntry entry, IReadOnlyList<byte[]> frames)
    {
        lock (_lock)
        {
            var shard = CurrentShard();
            var placed = entry with { Shard = _shardNumber, Offset = shard.Position, Lengths = frames.Select(f => f.Length).ToArray() };
            foreach (var frame in frames) shard.Write(frame);
            shard.Flush(flushToDisk: true);
            _index.Write(JsonSerializer.SerializeToUtf8Bytes(placed, CacheFormat.Json));
            _index.WriteByte((byte)'\n');
            _index.Flush(flushToDisk: true);
            return placed;
        }
    }

    private FileStream CurrentShard()
    {
        if (_shard is not null && _shard.Length >= _shardBytes)
        {
            _shard.Dispose();
            _shard = null;
            _shardNumber++;
        }
        if (_shard is null)
        {
            _shard = new FileStream(Path.Combine(_folder, CacheFormat.ShardFile(_shardNumber)), FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read);
            _shard.Seek(0, SeekOrigin.End);
            if (_shard.Length >= _shardBytes) return CurrentShard();
        }
        return _shard;
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _shard?.Dispose();
            _index.Dispose();
        }
    }
}
