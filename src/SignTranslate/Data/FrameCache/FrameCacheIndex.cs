using System.Text;
using System.Text.Json;

namespace SignTranslate.Data.FrameCache;

/// <summary>
/// The entries of a cache folder's <c>index.jsonl</c>, read tolerantly of a write cut short: a clip's line is written
/// only after its frames are flushed, so a last line without its newline (or unparseable) is a clip that was being
/// written when the process died; it and any shard bytes past the last indexed clip are ignored (and cut off by
/// <see cref="FrameCacheWriter"/>).
/// </summary>
public sealed class FrameCacheIndex
{
    private FrameCacheIndex(Dictionary<string, CacheEntry> entries, long validBytes, Dictionary<int, long> shardEnds, int dropped)
    {
        Entries = entries;
        ValidBytes = validBytes;
        ShardEnds = shardEnds;
        Dropped = dropped;
    }

    /// <summary>The newest entry of each clip whose bytes are all in its shard, by <see cref="CacheEntry.Key"/>.</summary>
    public IReadOnlyDictionary<string, CacheEntry> Entries { get; }

    /// <summary>Length of the index file up to the end of its last complete line.</summary>
    public long ValidBytes { get; }

    /// <summary>Per shard, the end of its last indexed clip: what follows is a torn write.</summary>
    public IReadOnlyDictionary<int, long> ShardEnds { get; }

    /// <summary>Entries whose bytes are missing from their shard (a shard cut or deleted outside slt).</summary>
    public int Dropped { get; }

    public static FrameCacheIndex Read(string folder)
    {
        var path = Path.Combine(folder, CacheFormat.IndexFile);
        var bytes = File.Exists(path) ? File.ReadAllBytes(path) : [];
        var parsed = new List<CacheEntry>();
        long valid = 0;
        var line = 0;
        while (valid < bytes.Length)
        {
            var newline = Array.IndexOf(bytes, (byte)'\n', (int)valid);
            if (newline < 0) break; // torn last line
            line++;
            var text = Encoding.UTF8.GetString(bytes, (int)valid, newline - (int)valid);
            CacheEntry? entry;
            try
            {
                entry = JsonSerializer.Deserialize<CacheEntry>(text, CacheFormat.Json);
            }
            catch (JsonException)
            {
                entry = null;
            }
            if (entry?.Lengths is null || entry.Id is null || entry.Source is null)
            {
                // Only the last line can be a write in progress; damage earlier means someone edited the file.
                if (newline + 1 == bytes.Length) break;
                throw new InputException($"{path}:{line}: not a frame cache entry; delete the cache folder and run `slt data prepare` again");
            }
            parsed.Add(entry);
            valid = newline + 1;
        }

        var shardLengths = new Dictionary<int, long>();
        long ShardLength(int shard)
        {
            if (!shardLengths.TryGetValue(shard, out var length))
            {
                var file = new FileInfo(Path.Combine(folder, CacheFormat.ShardFile(shard)));
                shardLengths[shard] = length = file.Exists ? file.Length : -1;
            }
            return length;
        }
        var entries = new Dictionary<string, CacheEntry>(StringComparer.Ordinal);
        var ends = new Dictionary<int, long>();
        var dropped = 0;
        foreach (var entry in parsed)
        {
            if (entry.End > ShardLength(entry.Shard))
            {
                dropped++;
                continue;
            }
            entries[entry.Key] = entry; // a clip re-cached after its source changed: the later line wins
            ends[entry.Shard] = Math.Max(ends.GetValueOrDefault(entry.Shard), entry.End);
        }
        return new FrameCacheIndex(entries, valid, ends, dropped);
    }
}
