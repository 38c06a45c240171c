using SignTranslate.Data;
using SignTranslate.Data.Import;
using SignTranslate.Data.Manifests;

namespace SignTranslate.Tests.Data;

public sealed class ImportHow2SignTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("slt-import-h2s-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private Dictionary<Split, How2SignSplit> Splits(bool whole = false) => new()
    {
        [Split.Train] = new(Path.Combine(_root, "how2sign_realigned_train.csv"), Path.Combine(_root, whole ? "raw" : "train_rgb_front_clips/raw_videos")),
        [Split.Dev] = new(Path.Combine(_root, "how2sign_realigned_val.csv"), Path.Combine(_root, whole ? "raw" : "val_rgb_front_clips/raw_videos")),
        [Split.Test] = new(Path.Combine(_root, "how2sign_realigned_test.csv"), Path.Combine(_root, whole ? "raw" : "test_rgb_front_clips/raw_videos")),
    };

    [Fact]
    public void ClipsBecomeWholeVideoRowsNamedBySentenceAndReadBackAsVideoSamples()
    {
        ImportFixtures.WriteHow2Sign(_root);
        var corpus = How2SignImporter.Import(Splits(), _root, wholeVideos: false, skipMissing: false);
        Assert.Equal(24, corpus.SuggestedFps);
        CorpusManifests.Write(_root, corpus);

        var dev = ManifestReader.Read(Path.Combine(_root, "manifest.dev.tsv"));
        var sample = Assert.Single(dev);
        Assert.Equal("def456-2-rgb_front", sample.Id);
        Assert.Equal("we pull the rope", sample.Text);
        Assert.Equal(Path.Combine(_root, "val_rgb_front_clips", "raw_videos", "def456-2-rgb_front.mp4"), sample.VideoFile);
        Assert.Null(sample.Clip.Start);
        Assert.Contains("val_rgb_front_clips/raw_videos/def456-2-rgb_front.mp4", File.ReadAllText(Path.Combine(_root, "manifest.dev.tsv")));
        var yaml = File.ReadAllText(Path.Combine(_root, "dataset.yaml"));
        Assert.Contains("kind: manifest", yaml);
        Assert.Contains("dev: manifest.dev.tsv", yaml);
        Assert.Contains("fps: 24", yaml);
    }

    [Fact]
    public void OpenPoseFoldersOfTheClipsAreNamedInTheKeypointsColumn()
    {
        ImportFixtures.WriteHow2Sign(_root);
        var openPose = Path.Combine(TestFixtures.Root, "testdata", "pose", "default_protocol", "openpose");
        Dictionary<Split, How2SignSplit> WithKeypoints() => Splits().ToDictionary(kv => kv.Key, kv =>
            kv.Value with { Keypoints = Path.Combine(_root, $"{(kv.Key == Split.Dev ? "val" : kv.Key.ToString().ToLowerInvariant())}_2D_keypoints", "json") });
        foreach (var (split, sentence, _) in ImportFixtures.How2SignRows.Where(r => r.Split != "test"))
        {
            var clip = Directory.CreateDirectory(Path.Combine(_root, $"{split}_2D_keypoints", "json", sentence)).FullName;
            foreach (var frame in Directory.GetFiles(openPose)) File.Copy(frame, Path.Combine(clip, Path.GetFileName(frame)));
        }

        // The test clip has no OpenPose folder yet: named like a missing video.
        var missing = Assert.Throws<InputException>(() => How2SignImporter.Import(WithKeypoints(), _root, wholeVideos: false, skipMissing: false));
        Assert.Contains("1 video or keypoint folder is missing", missing.Message);
        Assert.Contains(Path.Combine(_root, "test_2D_keypoints", "json", "ghi789-3-rgb_front"), missing.Message);

        var clip3 = Directory.CreateDirectory(Path.Combine(_root, "test_2D_keypoints", "json", "ghi789-3-rgb_front")).FullName;
        foreach (var frame in Directory.GetFiles(openPose)) File.Copy(frame, Path.Combine(clip3, Path.GetFileName(frame)));
        CorpusManifests.Write(_root, How2SignImporter.Import(WithKeypoints(), _root, wholeVideos: false, skipMissing: false));
        var sample = Assert.Single(ManifestReader.Read(Path.Combine(_root, "manifest.dev.tsv")));
        Assert.Equal(Path.Combine(_root, "val_2D_keypoints", "json", "def456-2-rgb_front"), sample.KeypointFile);
        Assert.Equal(SignTranslate.Data.Pose.KeypointFileReader.Read(openPose).Values, SignTranslate.Data.Pose.KeypointFileReader.Read(sample.KeypointFile!).Values);

        Assert.Contains("do not go with --whole-videos",
            Assert.Throws<InputException>(() => How2SignImporter.Import(WithKeypoints(), _root, wholeVideos: true, skipMissing: false)).Message);
    }

    [Fact]
    public void WholeVideosAreCutAtTheRealignedTimes()
    {
        ImportFixtures.WriteHow2Sign(_root);
        Directory.CreateDirectory(Path.Combine(_root, "raw"));
        foreach (var name in new[] { "abc123", "def456", "ghi789" })
            ImportFixtures.WriteClip(Path.Combine(_root, "raw", $"{name}-rgb_front.mp4"), 1, 100);
        var corpus = How2SignImporter.Import(Splits(whole: true), _root, wholeVideos: true, skipMissing: false);
        var entry = Assert.Single(corpus.Splits[Split.Train]);
        Assert.Equal(new ManifestEntry("abc123-1-rgb_front", "raw/abc123-rgb_front.mp4", "we hold the rope and pull") { Start = 1.5, End = 3.25 }, entry);
    }

    [Fact]
    public void MissingColumnNamesTheFileAndLine()
    {
        ImportFixtures.WriteHow2Sign(_root, csv => csv.Replace("\tSENTENCE\n", "\tTEXT\n"));
        var e = Assert.Throws<DataFormatException>(() => How2SignImporter.Import(Splits(), _root, false, false));
        Assert.Contains("how2sign_realigned_train.csv:1:", e.Message);
        Assert.Contains("SENTENCE", e.Message);
    }

    [Fact]
    public void BadNumberWithWholeVideosNamesTheLineAndColumn()
    {
        ImportFixtures.WriteHow2Sign(_root, csv => csv.Replace("\t1.5\t", "\t1,5\t"));
        var e = Assert.Throws<DataFormatException>(() => How2SignImporter.Import(Splits(), _root, wholeVideos: true, false));
        Assert.Equal("how2sign_realigned_train.csv:2: field 'START_REALIGNED': expected seconds (a number ≥ 0, '.' as decimal point), found '1,5'",
            e.Message[(e.Message.IndexOf("how2sign_realigned_train", StringComparison.Ordinal))..]);
    }

    [Fact]
    public void UnsafeSentenceNameIsRefused()
    {
        ImportFixtures.WriteHow2Sign(_root, csv => csv.Replace("abc123-1-rgb_front", "../x"));
        var e = Assert.Throws<DataFormatException>(() => How2SignImporter.Import(Splits(), _root, false, false));
        Assert.Contains("how2sign_realigned_train.csv:2: field 'SENTENCE_NAME': '../x'", e.Message);
    }

    [Fact]
    public void MissingClipFailsUnlessSkipped()
    {
        ImportFixtures.WriteHow2Sign(_root);
        File.Delete(Path.Combine(_root, "test_rgb_front_clips", "raw_videos", "ghi789-3-rgb_front.mp4"));
        var e = Assert.Throws<InputException>(() => How2SignImporter.Import(Splits(), _root, false, false));
        Assert.StartsWith("1 video is missing (first: ", e.Message);
        Assert.Contains("how2sign_realigned_test.csv:2: ", e.Message);
        Assert.Contains("--skip-missing", e.Message);

        var corpus = How2SignImporter.Import(Splits(), _root, false, skipMissing: true);
        Assert.Empty(corpus.Splits[Split.Test]);
        Assert.Single(corpus.Skipped);
    }

    [Fact]
    public void VideosOutsideTheOutputFolderAreReportedWithAFolderThatWorks()
    {
        ImportFixtures.WriteHow2Sign(_root);
        var e = Assert.Throws<InputException>(() => How2SignImporter.Import(Splits(), Path.Combine(_root, "manifests"), false, false));
        Assert.Contains("--train-videos", e.Message);
        Assert.Contains($"e.g. --out {_root} ", e.Message);
    }
}
