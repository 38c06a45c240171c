using System.Collections;
using Razorvine.Pickle;
using SignTranslate.Data;
using SignTranslate.Data.Import;
using SignTranslate.Data.Manifests;

namespace SignTranslate.Tests.Data;

public sealed class ImportFrameFoldersTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("slt-import-frames-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private void Touch(string relative)
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, []);
    }

    /// <summary>labels.{train,dev,test} in <c>_root</c>, each with one 3-frame sample whose frames are under <c>frames/</c>.</summary>
    private Dictionary<Split, string> WriteLabels(Action<Hashtable>? breakTrain = null)
    {
        var files = new Dictionary<Split, string>();
        foreach (var split in Enum.GetValues<Split>())
        {
            var name = $"{split.ToString().ToLowerInvariant()}/video0";
            var sample = TestLabelsFiles.Sample(name, "regen und wind", 3);
            sample["gloss_spans"] = new ArrayList { new ArrayList { "REGEN", 0, 2 } };
            if (split == Split.Train) breakTrain?.Invoke(sample);
            for (var k = 1; k <= 3; k++) Touch($"frames/{name}/images{k:D4}.png");
            files[split] = Path.Combine(_root, $"labels.{split.ToString().ToLowerInvariant()}");
            TestLabelsFiles.Write(files[split], sample);
        }
        return files;
    }

    [Fact]
    public void LabelsBecomeFrameFolderRowsThatReadBackAsTheSameFrames()
    {
        var files = WriteLabels();
        var corpus = FrameFolderImporter.ImportLabels(files, Path.Combine(_root, "frames"), _root, skipMissing: false);
        Assert.Equal(new ManifestEntry("dev/video0", "frames/dev/video0", "regen und wind") { Gloss = "GLOSS", GlossSpans = [new("REGEN", 0, 2)] },
            Assert.Single(corpus.Splits[Split.Dev]), new EntryComparer());
        Assert.Equal(0, corpus.SuggestedFps);

        CorpusManifests.Write(_root, corpus);
        var sample = Assert.Single(ManifestReader.Read(Path.Combine(_root, "manifest.train.tsv")));
        Assert.Equal(3, sample.FrameCount);
        Assert.Equal(Path.Combine(_root, "frames", "train", "video0", "images0001.png"), sample.FramePaths[0]);
        Assert.Equal([new GlossSpan("REGEN", 0, 2)], sample.GlossSpans);
    }

    [Fact]
    public void ManifestsOutsideTheImageRootAreRefusedClearly()
    {
        var files = WriteLabels();
        var e = Assert.Throws<InputException>(() => FrameFolderImporter.ImportLabels(files, Path.Combine(_root, "frames"), Path.Combine(_root, "out"), false));
        Assert.Contains("--frames", e.Message);
        Assert.Contains("can only name videos and frames in its own folder or below", e.Message);
    }

    [Fact]
    public void AListThatIsNotTheWholeFolderIsRefused()
    {
        var files = WriteLabels(sample => ((ArrayList)sample["imgs_path"]!).RemoveAt(1));
        var e = Assert.Throws<DataFormatException>(() => FrameFolderImporter.ImportLabels(files, Path.Combine(_root, "frames"), _root, false));
        Assert.Contains("sample 'train/video0': field 'imgs_path': lists 2 frames but", e.Message);
    }

    [Fact]
    public void MissingFrameFolderFailsUnlessSkipped()
    {
        var files = WriteLabels();
        Directory.Delete(Path.Combine(_root, "frames", "test"), recursive: true);
        var e = Assert.Throws<InputException>(() => FrameFolderImporter.ImportLabels(files, Path.Combine(_root, "frames"), _root, false));
        Assert.StartsWith("1 frame folder is missing (first: ", e.Message);
        var corpus = FrameFolderImporter.ImportLabels(files, Path.Combine(_root, "frames"), _root, skipMissing: true);
        Assert.Empty(corpus.Splits[Split.Test]);
    }

    [Fact]
    public void CslDailyBecomesFrameFolderRowsWithSplitPrefixedIds()
    {
        Directory.CreateDirectory(Path.Combine(_root, "sentence_label"));
        var root = new Hashtable
        {
            ["info"] = new ArrayList
            {
                new Hashtable { ["name"] = "S000007_P0003_T00", ["length"] = 2, ["label_char"] = new ArrayList { "他", "是" }, ["label_gloss"] = new ArrayList { "他" } },
                new Hashtable { ["name"] = "S000008_P0000_T00", ["length"] = 2, ["label_char"] = new ArrayList { "你", "好" } },
                new Hashtable { ["name"] = "S000009_P0001_T00", ["length"] = 2, ["label_char"] = new ArrayList { "谢", "谢" } },
            },
        };
        using (var pickler = new Pickler()) File.WriteAllBytes(Path.Combine(_root, "sentence_label", "csl2020ct_v2.pkl"), pickler.dumps(root));
        File.WriteAllText(Path.Combine(_root, "sentence_label", "split_1.txt"), "name|split\nS000007_P0003_T00|train\nS000008_P0000_T00|dev\nS000009_P0001_T00|test\n");
        foreach (var name in new[] { "S000007_P0003_T00", "S000008_P0000_T00", "S000009_P0001_T00" })
            for (var k = 0; k < 2; k++) Touch($"sentence/frames_512x512/{name}/{k:D6}.jpg");

        var corpus = FrameFolderImporter.ImportCslDaily(Path.Combine(_root, "sentence_label", "csl2020ct_v2.pkl"),
            Path.Combine(_root, "sentence_label", "split_1.txt"), Path.Combine(_root, "sentence", "frames_512x512"), _root, skipMissing: false);

        Assert.Equal(new ManifestEntry("train/S000007_P0003_T00", "sentence/frames_512x512/S000007_P0003_T00", "他是") { Gloss = "他" },
            Assert.Single(corpus.Splits[Split.Train]));
        Assert.Equal("sentence/frames_512x512/S000009_P0001_T00", Assert.Single(corpus.Splits[Split.Test]).Video);
    }

    /// <summary>ManifestEntry's record equality compares the gloss span lists by reference.</summary>
    private sealed class EntryComparer : IEqualityComparer<ManifestEntry>
    {
        public bool Equals(ManifestEntry? x, ManifestEntry? y) =>
            x! with { GlossSpans = null } == y! with { GlossSpans = null } && (x.GlossSpans ?? []).SequenceEqual(y.GlossSpans ?? []);

        public int GetHashCode(ManifestEntry obj) => obj.Id.GetHashCode();
    }
}
