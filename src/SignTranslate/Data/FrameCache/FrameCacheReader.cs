using Microsoft.Win32.SafeHandles;
using static TorchSharp.torch;

namespace SignTranslate.Data.FrameCache;

/// <summary>
/// Reads clips from a prepared cache folder: the index is loaded once; a clip is one read of its shard, then its
/// frames decode with <see cref="FrameDecoder"/> (the same codec as frame files, so stored PNGs give the same pixels).
/// Safe to use from several threads.
/// </summary>
public sealed class FrameCacheReader
{
    private FrameCacheReader(string folder, CacheHeader header, FrameCacheIndex index)
    {
        Folder = folder;
        Header = header;
        Index = index;
    }

    public string Folder { get; }
    public CacheHeader Header { get; }
    public FrameCacheIndex Index { get; }

    /// <summary>The advice every "not in the cache" message ends with.</summary>
    public const string PrepareAdvice = "run `slt data prepare --config FILE` with this configuration";

    /// <summary>Opens the cache for a configuration that decodes video files as <paramref name="decoding"/> says.</summary>
    /// <exception cref="InputException">No cache there, or one made with other decoding settings.</exception>
    public static FrameCacheReader Open(string folder, Video.VideoDecoding decoding)
    {
        var header = CacheFormat.ReadHeader(folder)
                     ?? throw new InputException($"frame cache {folder} does not exist or was never prepared; {PrepareAdvice}");
        if (header.Format != CacheFormat.Version)
            throw new InputException($"frame cache {folder} has format {header.Format}, this slt reads {CacheFormat.Version}; delete it and {PrepareAdvice}");
        var wanted = new CacheHeader(CacheFormat.Version, decoding.FramesPerSecond, decoding.Width, decoding.Height, header.JpegQuality);
        if (!header.Matches(decoding))
            throw new InputException($"frame cache {folder} was decoded with {header.Describe()}, this configuration decodes with " +
                                     $"{wanted.Describe()}; set data.cache.folder to a new folder and {PrepareAdvice}");
        return new FrameCacheReader(folder, header, FrameCacheIndex.Read(folder));
    }

    public CacheEntry? Find(string key) => Index.Entries.GetValueOrDefault(key);

    /// <summary>The entry of <paramref name="sample"/>, or an input error saying to prepare the cache.</summary>
    public CacheEntry Require(SignSample sample, string? imageRoot) =>
        Find(ClipSource.KeyOf(sample, imageRoot))
        ?? throw new InputException($"frame cache {Folder} has no clip of sample '{sample.Id}'" +
                                    $"{(sample.Origin is { } origin ? $" ({origin})" : "")}; {PrepareAdvice}");

    /// <summary>Frames <paramref name="frames"/> (all when null) of a clip as uint8 (n, 3, H, W).</summary>
    /// <exception cref="InvalidDataException">A frame does not decode, or has another size than the entry says.</exception>
    public Tensor Read(CacheEntry entry, IReadOnlyList<int>? frames = null)
    {
        frames ??= Enumerable.Range(0, entry.Frames).ToArray();
        if (frames.Count == 0) throw new InvalidDataException($"clip of sample '{entry.Id}' has no frames");
        var starts = new long[entry.Frames + 1];
        for (var i = 0; i < entry.Frames; i++) starts[i + 1] = starts[i] + entry.Lengths[i];
        var first = frames.Min();
        var last = frames.Max();
        var span = new byte[starts[last + 1] - starts[first]];
        using (SafeFileHandle handle = File.OpenHandle(Path.Combine(Folder, CacheFormat.ShardFile(entry.Shard))))
        {
            var read = 0;
            while (read < span.Length)
            {
                var n = RandomAccess.Read(handle, span.AsSpan(read), entry.Offset + starts[first] + read);
                if (n == 0) throw new InvalidDataException($"shard {CacheFormat.ShardFile(entry.Shard)} ends inside the clip of sample '{entry.Id}'");
                read += n;
            }
        }
        using var scope = NewDisposeScope();
        var decoded = new Tensor[frames.Count];
        for (var i = 0; i < frames.Count; i++)
        {
            var k = frames[i];
            var frame = FrameDecoder.Decode(span.AsSpan((int)(starts[k] - starts[first]), entry.Lengths[k]).ToArray());
            if (frame.shape[1] != entry.Height || frame.shape[2] != entry.Width)
                throw new InvalidDataException($"frame {k} of sample '{entry.Id}' is {frame.shape[2]}x{frame.shape[1]}, the index says {entry.Width}x{entry.Height}");
            decoded[i] = frame;
        }
        return stack(decoded).MoveToOuterDisposeScope();
    }
}
