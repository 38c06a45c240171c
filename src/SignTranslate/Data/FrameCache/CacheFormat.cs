using System.Text.Json;
using System.Text.Json.Serialization;

namespace SignTranslate.Data.FrameCache;

/// <summary>
/// <c>cache.json</c>: what every clip of a frame cache was decoded with. A cache is read only by a configuration that
/// decodes video files the same way, so that cached and decoded clips never mix silently.
/// </summary>
/// <param name="Format">Layout version of the folder (<see cref="CacheFormat.Version"/>).</param>
/// <param name="Fps">Video decoding rate (data.video.fps; 0: every stored frame).</param>
/// <param name="Width">Video decoding width in pixels.</param>
/// <param name="Height">Video decoding height in pixels.</param>
/// <param name="JpegQuality">JPEG quality of the frames decoded from video files.</param>
public sealed record CacheHeader(int Format, double Fps, int Width, int Height, int JpegQuality)
{
    /// <summary>Whether clips of this cache are what <paramref name="decoding"/> would decode.</summary>
    public bool Matches(Video.VideoDecoding decoding) =>
        Fps == decoding.FramesPerSecond && Width == decoding.Width && Height == decoding.Height;

    public string Describe() => $"fps {Fps}, {Width}x{Height}";
}

/// <summary>How a cached clip's frames are stored.</summary>
public enum FrameStorage
{
    /// <summary>Each frame as JPEG, encoded from a video file's decoded frames (lossy).</summary>
    Jpeg,

    /// <summary>Each frame file's bytes exactly as the dataset stores them (PNG or JPEG): decoding gives identical pixels.</summary>
    Original,
}

/// <summary>
/// One line of <c>index.jsonl</c>: a cached clip, where its frames lie and what its source was when it was cached.
/// The frames of a clip are contiguous in one shard, in order, so a clip is one read.
/// </summary>
/// <param name="Id">The sample id (data: never a file name).</param>
/// <param name="Source">The video file, or the first frame file of a frame folder (full path).</param>
/// <param name="Clip">The clip's times in the video file (<see cref="Video.ClipTimes"/>), empty for frame folders.</param>
/// <param name="SourceFiles">How many files the source has (1 for a video file, the frame count of a folder).</param>
/// <param name="SourceBytes">Their total size in bytes when cached.</param>
/// <param name="SourceMtime">Their latest modification time when cached, Unix milliseconds UTC.</param>
/// <param name="Shard">The shard number (<c>shard-NNNNN.bin</c>).</param>
/// <param name="Offset">Byte offset of the first frame in the shard.</param>
/// <param name="Lengths">Byte length of each frame, in order.</param>
/// <param name="Height">Frame height in pixels.</param>
/// <param name="Width">Frame width in pixels.</param>
/// <param name="Storage">How the frames are stored.</param>
public sealed record CacheEntry(
    string Id, string Source, string Clip, int SourceFiles, long SourceBytes, long SourceMtime,
    int Shard, long Offset, int[] Lengths, int Height, int Width, FrameStorage Storage)
{
    /// <summary>Number of frames.</summary>
    [JsonIgnore] public int Frames => Lengths.Length;

    /// <summary>End of the clip's bytes in its shard.</summary>
    [JsonIgnore] public long End => Offset + Lengths.Sum(l => (long)l);

    /// <summary>The clip it caches, as <see cref="ClipSource.Key"/> names it.</summary>
    [JsonIgnore] public string Key => ClipSource.MakeKey(Id, Source, Clip);
}

/// <summary>File names and serialisation of the cache folder.</summary>
public static class CacheFormat
{
    /// <summary>Version of the folder layout; a cache of another version is rebuilt, not read.</summary>
    public const int Version = 1;

    public const string HeaderFile = "cache.json";
    public const string IndexFile = "index.jsonl";

    /// <summary>Shards grow to about this size before the next one starts: large enough for few open files, small enough to copy.</summary>
    public const long DefaultShardBytes = 256L << 20;

    public static string ShardFile(int shard) => $"shard-{shard:D5}.bin";

    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>The header of <paramref name="folder"/>, or null when it has none (nothing prepared yet).</summary>
    public static CacheHeader? ReadHeader(string folder)
    {
        var path = Path.Combine(folder, HeaderFile);
        if (!File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize<CacheHeader>(File.ReadAllText(path), Json)
                   ?? throw new InputException($"{path}: empty frame cache header");
        }
        catch (JsonException e)
        {
            throw new InputException($"{path}: not a frame cache header ({e.Message}); delete the folder and run `slt data prepare` again");
        }
    }
}
