using SignTranslate.Data;
using SignTranslate.Data.FrameCache;
using SignTranslate.Data.Synthetic;
using SignTranslate.Data.Video;

namespace SignTranslate.Tests.Data;

/// <summary>Tiny datasets for the frame cache tests: labels files with random 8×8 PNG frames, or a manifest of mp4 files.</summary>
public sealed class FrameCacheFixture : IDisposable
{
    public string Folder { get; } = Directory.CreateTempSubdirectory("slt-framecache-").FullName;

    public void Dispose() => Directory.Delete(Folder, recursive: true);

    public string DatasetRoot => Path.Combine(Folder, "dataset");

    public string CacheFolder => Path.Combine(Folder, "cache");

    /// <summary>Options of the PNG dataset (frames kept at 8×8), with the cache at <see cref="CacheFolder"/>.</summary>
    public DataOptions PngOptions => new()
    {
        Root = "dataset",
        ImageRoot = "frames",
        Frames = new FrameOptions { ResizeHeight = 8, ResizeWidth = 8, CropHeight = 6, CropWidth = 6 },
        Cache = new FrameCacheOptions { Folder = "cache" },
    };

    /// <summary>Writes <paramref name="perSplit"/> samples per split of <paramref name="frames"/> random PNG frames each.</summary>
    /// <param name="keepExisting">Leave frame files already there untouched (their modification times too).</param>
    public void WritePngDataset(int perSplit = 2, int frames = 4, int seed = 1, bool keepExisting = false)
    {
        var random = new Random(seed);
        foreach (var split in new[] { "train", "dev", "test" })
        {
            var samples = new List<System.Collections.Hashtable>();
            for (var v = 0; v < perSplit; v++)
            {
                var name = $"{split}/video{v}";
                samples.Add(TestLabelsFiles.Sample(name, $"heute regen {v}", frames));
                for (var k = 1; k <= frames; k++)
                    if (!keepExisting || !File.Exists(Path.Combine(DatasetRoot, "frames", name, $"images{k:D4}.png")))
                        WriteFrame(Path.Combine(DatasetRoot, "frames", name, $"images{k:D4}.png"), random);
            }
            TestLabelsFiles.Write(Path.Combine(DatasetRoot, $"labels.{split}"), [.. samples]);
        }
    }

    public static void WriteFrame(string path, Random random)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var pixels = new byte[3 * 8 * 8];
        random.NextBytes(pixels);
        File.WriteAllBytes(path, PngEncoder.EncodePlanarRgb(pixels, 8, 8));
    }

    /// <summary>A manifest per split naming one 16×16 mp4 of <paramref name="frames"/> smooth frames each; options decode at 16×16.</summary>
    public DataOptions WriteVideoDataset(int frames = 6)
    {
        Directory.CreateDirectory(DatasetRoot);
        foreach (var split in new[] { "train", "dev", "test" })
        {
            var rgb = new byte[frames * 16 * 16 * 3];
            for (var f = 0; f < frames; f++)
            for (var y = 0; y < 16; y++)
            for (var x = 0; x < 16; x++)
            {
                var at = ((f * 16 + y) * 16 + x) * 3;
                (rgb[at], rgb[at + 1], rgb[at + 2]) = ((byte)(x * 12 + f * 5), (byte)(y * 12), (byte)(128 + split.Length * 10));
            }
            VideoFileEncoder.Encode(Path.Combine(DatasetRoot, $"{split}.mp4"), rgb, 16, 16, 25);
            File.WriteAllText(Path.Combine(DatasetRoot, $"{split}.tsv"), $"id\tvideo\ttext\n{split}-1\t{split}.mp4\thallo welt\n");
        }
        return new DataOptions
        {
            Kind = DatasetKind.Manifest,
            Root = "dataset",
            Files = new SplitFiles { Train = "train.tsv", Dev = "dev.tsv", Test = "test.tsv" },
            Frames = new FrameOptions { ResizeHeight = 16, ResizeWidth = 16, CropHeight = 16, CropWidth = 16 },
            Cache = new FrameCacheOptions { Folder = "cache", JpegQuality = 95 },
        };
    }
}
