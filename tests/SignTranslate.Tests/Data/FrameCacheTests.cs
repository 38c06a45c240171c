using SignTranslate.Data;
using SignTranslate.Data.FrameCache;
using SignTranslate.Data.Video;
using static TorchSharp.torch;

namespace SignTranslate.Tests.Data;

[Collection(ProcessStateCollection.Name)]
public sealed class FrameCacheTests : IDisposable
{
    private readonly FrameCacheFixture _data = new();

    public void Dispose() => _data.Dispose();

    private static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    private PrepareReport Prepare(DataOptions options, long shardBytes = CacheFormat.DefaultShardBytes) =>
        FrameCachePreparer.Prepare(options, _data.Folder, parallelism: 2, shardBytes: shardBytes);

    private IReadOnlyList<SignSample> Samples(DataOptions options) =>
        Enum.GetValues<Split>().SelectMany(split => DatasetReader.Read(options, _data.Folder, split)).ToList();

    [Fact]
    public void PngFrameFolderRoundTripIsBitIdentical()
    {
        _data.WritePngDataset();
        var options = _data.PngOptions;
        var report = Prepare(options);
        Assert.Empty(report.Problems);
        Assert.Equal((6, 6, 0), (report.Clips, report.Written, report.Unchanged));

        var imageRoot = DataPaths.ImageRoot(options, _data.Folder);
        var cache = FrameCacheReader.Open(_data.CacheFolder, DataPaths.VideoDecoding(options));
        var cached = new CachedVideoSource(cache, imageRoot, options.Frames, options.Augmentation);
        var files = new VideoLoader(imageRoot, options.Frames, options.Augmentation);
        foreach (var sample in Samples(options))
        {
            var entry = cache.Require(sample, imageRoot);
            Assert.Equal(FrameStorage.Original, entry.Storage);
            using var raw = cache.Read(entry);
            using var decoded = stack(sample.FramePaths.Select(p => FrameDecoder.TryRead(Path.Combine(imageRoot, p)).Frame!).ToArray());
            Assert.True(Same(raw, decoded), $"{sample.Id}: cached frames differ from the PNG files");
            // The whole pipeline (frame selection, augmentation, crop) draws the same numbers either way.
            foreach (var training in new[] { true, false })
            {
                using var viaCache = cached.Load(sample, training, new Random(7));
                using var viaFiles = files.Load(sample, training, new Random(7));
                Assert.True(Same(viaCache, viaFiles), $"{sample.Id}: training={training}");
            }
        }
    }

    [Fact]
    public void VideoFileIsCachedAsJpegAtTheDecodingSize()
    {
        var options = _data.WriteVideoDataset(frames: 6);
        var report = Prepare(options);
        Assert.Empty(report.Problems);
        Assert.Equal(3, report.Written);

        var decoding = DataPaths.VideoDecoding(options);
        var cache = FrameCacheReader.Open(_data.CacheFolder, decoding);
        foreach (var sample in Samples(options))
        {
            var entry = cache.Require(sample, imageRoot: null);
            Assert.Equal(FrameStorage.Jpeg, entry.Storage);
            using var viaCache = cache.Read(entry);
            using var direct = VideoFileDecoder.Decode(sample.VideoFile!, sample.Clip, decoding);
            Assert.Equal(new long[] { 6, 3, 16, 16 }, viaCache.shape);
            Assert.Equal(direct.shape, viaCache.shape);
            // JPEG is lossy: close, not equal.
            var meanError = (viaCache.to_type(ScalarType.Float32) - direct.to_type(ScalarType.Float32)).abs().mean().item<float>();
            Assert.InRange(meanError, 0, 3);
        }
        using var loaded = new CachedVideoSource(cache, null, options.Frames, options.Augmentation).Load(Samples(options)[0], false, new Random(1));
        Assert.Equal(new long[] { 6, 3, 16, 16 }, loaded.shape);
    }

    [Fact]
    public void ResumesAfterATornWriteAndSkipsUnchangedClips()
    {
        _data.WritePngDataset();
        var options = _data.PngOptions;
        Assert.Equal(6, Prepare(options, shardBytes: 600).Written); // small shards: several files
        var index = Path.Combine(_data.CacheFolder, CacheFormat.IndexFile);
        var lines = File.ReadAllLines(index);
        Assert.True(Directory.GetFiles(_data.CacheFolder, "shard-*.bin").Length > 1);

        // Killed while writing the last clip: its index line half written, and garbage after the shard's last clip.
        var lastShard = Directory.GetFiles(_data.CacheFolder, "shard-*.bin").Order().Last();
        File.WriteAllText(index, string.Join("\n", lines[..^1]) + "\n" + lines[^1][..(lines[^1].Length / 2)]);
        File.AppendAllText(lastShard, "torn frame bytes");
        Assert.Equal(5, FrameCacheIndex.Read(_data.CacheFolder).Entries.Count);

        var again = Prepare(options, shardBytes: 600);
        Assert.Empty(again.Problems);
        Assert.Equal((1, 5), (again.Written, again.Unchanged));
        Assert.Equal(6, File.ReadAllLines(index).Length);
        Assert.DoesNotContain("torn frame bytes", File.ReadAllText(lastShard));

        var imageRoot = DataPaths.ImageRoot(options, _data.Folder);
        var cache = FrameCacheReader.Open(_data.CacheFolder, DataPaths.VideoDecoding(options));
        foreach (var sample in Samples(options))
        {
            using var raw = cache.Read(cache.Require(sample, imageRoot));
            using var decoded = stack(sample.FramePaths.Select(p => FrameDecoder.TryRead(Path.Combine(imageRoot, p)).Frame!).ToArray());
            Assert.True(Same(raw, decoded), sample.Id);
        }
        Assert.Equal((0, 6), (Prepare(options, shardBytes: 600) is var third ? (third.Written, third.Unchanged) : default));
    }

    [Fact]
    public void ChangedSourceIsReportedByCheckAndCachedAgain()
    {
        _data.WritePngDataset();
        var options = _data.PngOptions with { Tokenizer = new SignTranslate.Text.TokenizerOptions { Kind = SignTranslate.Text.TokenizerKind.Words } };
        Prepare(options);
        var frame = Path.Combine(_data.DatasetRoot, "frames", "dev", "video1", "images0002.png");
        FrameCacheFixture.WriteFrame(frame, new Random(99));
        File.SetLastWriteTimeUtc(frame, DateTime.UtcNow.AddMinutes(1));

        var check = DatasetChecker.Check(options, _data.Folder, labelsOnly: false);
        var problem = Assert.Single(check.Problems);
        Assert.Equal((Split.Dev, "dev/video1"), (problem.Split!.Value, problem.SampleId));
        Assert.Contains("changed since it was cached", problem.Problem);
        Assert.Contains("slt data prepare", problem.Problem);

        var again = Prepare(options);
        Assert.Equal((1, 5), (again.Written, again.Unchanged));
        Assert.Empty(DatasetChecker.Check(options, _data.Folder, labelsOnly: false).Problems);
    }

    [Fact]
    public void CheckReportsASampleMissingFromTheCacheAndLoadingItIsAnInputError()
    {
        _data.WritePngDataset(perSplit: 1);
        var options = _data.PngOptions with { Tokenizer = new SignTranslate.Text.TokenizerOptions { Kind = SignTranslate.Text.TokenizerKind.Words } };
        Prepare(options);
        _data.WritePngDataset(perSplit: 2, keepExisting: true); // a second sample per split, not cached

        var check = DatasetChecker.Check(options, _data.Folder, labelsOnly: false);
        Assert.Equal(3, check.Problems.Count);
        Assert.All(check.Problems, p => Assert.Contains("not in the frame cache", p.Problem));
        Assert.Equal("train/video1", check.Problems.Single(p => p.Split == Split.Train).SampleId);

        var imageRoot = DataPaths.ImageRoot(options, _data.Folder);
        var cache = FrameCacheReader.Open(_data.CacheFolder, DataPaths.VideoDecoding(options));
        var source = new CachedVideoSource(cache, imageRoot, options.Frames, options.Augmentation);
        var missing = DatasetReader.Read(options, _data.Folder, Split.Train).Single(s => s.Id == "train/video1");
        var error = Assert.ThrowsAny<InputException>(() => source.Load(missing, false, new Random(1)));
        Assert.Contains(_data.CacheFolder, error.Message);
        Assert.Contains("slt data prepare --config", error.Message);
    }

    [Fact]
    public void CacheOfOtherDecodingSettingsIsRefused()
    {
        _data.WritePngDataset(perSplit: 1);
        Prepare(_data.PngOptions);
        var other = _data.PngOptions with { Video = new VideoOptions { Fps = 10 } };
        var error = Assert.ThrowsAny<InputException>(() => FrameCacheReader.Open(_data.CacheFolder, DataPaths.VideoDecoding(other)));
        Assert.Contains("slt data prepare --config", error.Message);
        Assert.ThrowsAny<InputException>(() => Prepare(other));
        Assert.ThrowsAny<InputException>(() => FrameCacheReader.Open(Path.Combine(_data.Folder, "nothing"), DataPaths.VideoDecoding(other)));
    }
}
