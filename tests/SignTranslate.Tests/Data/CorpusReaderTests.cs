using System.Collections;
using Razorvine.Pickle;
using SignTranslate.Data;

namespace SignTranslate.Tests.Data;

public sealed class CorpusReaderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("slt-corpus-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private void Touch(string relative)
    {
        var path = Path.Combine(_folder, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, []);
    }

    [Fact]
    public void PhoenixCorpusCsvGivesSamplesWithFramesFromTheFeatureFolder()
    {
        File.WriteAllText(Path.Combine(_folder, "PHOENIX-2014-T.dev.corpus.csv"), """
            name|video|start|end|speaker|orth|translation
            11August_2010_Wednesday_tagesschau-2|11August_2010_Wednesday_tagesschau-2/1/*.png|-1|-1|Signer08|DRUCK TIEF KOMMEN|tiefer luftdruck bestimmt in den nächsten tagen unser wetter
            11August_2010_Wednesday_tagesschau-3|11August_2010_Wednesday_tagesschau-3/1/*.png|-1|-1|Signer08|ES-BEDEUTET VIEL WOLKE|das bedeutet viele wolken

            """);
        foreach (var k in new[] { 3, 1, 2 }) Touch($"features/fullFrame-210x260px/dev/11August_2010_Wednesday_tagesschau-2/images{k:D4}.png");
        var options = new DataOptions
        {
            Kind = DatasetKind.PhoenixCsv,
            Files = new SplitFiles { Dev = "PHOENIX-2014-T.dev.corpus.csv" },
            ImageRoot = "features/fullFrame-210x260px",
        };

        var samples = DatasetReader.Read(options, _folder, Split.Dev);

        Assert.Equal(2, samples.Count);
        Assert.Equal("dev/11August_2010_Wednesday_tagesschau-2", samples[0].Id);
        Assert.Equal("DRUCK TIEF KOMMEN", samples[0].Gloss);
        Assert.Equal("tiefer luftdruck bestimmt in den nächsten tagen unser wetter", samples[0].Text);
        Assert.Equal(3, samples[0].FrameCount);
        Assert.Equal(Enumerable.Range(1, 3).Select(k => $"dev/11August_2010_Wednesday_tagesschau-2/images{k:D4}.png"), samples[0].FramePaths);
        Assert.Equal(0, samples[1].FrameCount); // no frame folder: the data checker reports it
    }

    [Fact]
    public void PhoenixCorpusCsvErrorsNameFileAndLine()
    {
        var path = Path.Combine(_folder, "bad.csv");
        File.WriteAllText(path, "name|video|start|end|speaker|orth|translation\nvideo-1|video-1/1/*.png|-1|-1|Signer01|GLOSS\n");
        var error = Assert.Throws<DataFormatException>(() => PhoenixCorpusReader.Read(path, _folder, Split.Train));
        Assert.Equal($"{path}:2: expected 7 '|'-separated fields (name|video|start|end|speaker|orth|translation), found 6", error.Message);

        File.WriteAllText(path, "name,video\n");
        Assert.Contains("expected the header", Assert.Throws<DataFormatException>(() => PhoenixCorpusReader.Read(path, _folder, Split.Train)).Message);
    }

    private static Hashtable CslVideo(string name, int length, string[] characters, string[] glosses) => new()
    {
        ["name"] = name,
        ["length"] = length,
        ["label_gloss"] = new ArrayList(glosses),
        ["label_char"] = new ArrayList(characters),
        ["label_word"] = new ArrayList(characters),
        ["label_postag"] = new ArrayList(characters.Select(_ => "n").ToArray()),
        ["signer"] = 3,
        ["time"] = 0,
    };

    [Fact]
    public void CslDailyOfficialAnnotationsAreSplitAndCharacterLevel()
    {
        var labels = Path.Combine(_folder, "sentence_label");
        Directory.CreateDirectory(labels);
        var root = new Hashtable
        {
            ["info"] = new ArrayList
            {
                CslVideo("S000007_P0003_T00", 55, ["他", "是", "谁", "？"], ["他", "谁"]),
                CslVideo("S000008_P0000_T00", 40, ["你", "好"], ["你", "好"]),
                CslVideo("S000009_P0001_T00", 30, ["谢", "谢"], ["谢谢"]),
            },
            ["gloss_map"] = new ArrayList { "他", "谁" },
        };
        using (var pickler = new Pickler()) File.WriteAllBytes(Path.Combine(labels, "csl2020ct_v2.pkl"), pickler.dumps(root));
        File.WriteAllText(Path.Combine(labels, "split_1.txt"), "name|split\nS000007_P0003_T00|train\nS000008_P0000_T00|dev\nS000009_P0001_T00|train\n");
        Touch("sentence/frames_512x512/S000007_P0003_T00/000001.jpg");
        Touch("sentence/frames_512x512/S000007_P0003_T00/000000.jpg");
        Touch("sentence/frames_512x512/S000007_P0003_T00/notes.txt");
        var pickle = "sentence_label/csl2020ct_v2.pkl";
        var options = new DataOptions
        {
            Kind = DatasetKind.CslDaily,
            Files = new SplitFiles { Train = pickle, Dev = pickle, Test = pickle },
            ImageRoot = "sentence/frames_512x512",
        };

        var train = DatasetReader.Read(options, _folder, Split.Train);
        var dev = DatasetReader.Read(options, _folder, Split.Dev);

        Assert.Equal(["train/S000007_P0003_T00", "train/S000009_P0001_T00"], train.Select(s => s.Id));
        Assert.Equal("他是谁？", train[0].Text);
        Assert.Equal("他 谁", train[0].Gloss);
        Assert.Equal(55, train[0].FrameCount);
        Assert.Equal(["S000007_P0003_T00/000000.jpg", "S000007_P0003_T00/000001.jpg"], train[0].FramePaths);
        Assert.Equal("你好", Assert.Single(dev).Text);
        Assert.Empty(DatasetReader.Read(options, _folder, Split.Test));
    }
}
