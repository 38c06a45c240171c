using System.Collections;
using SignTranslate.Data;

namespace SignTranslate.Tests.Data;

/// <summary>Reads each Phoenix-2014T split once per test class: the train file alone takes seconds to unpickle.</summary>
public sealed class PhoenixLabels
{
    private readonly Dictionary<string, Lazy<IReadOnlyList<SignSample>>> _splits = new[] { "train", "dev", "test" }
        .ToDictionary(split => split, split => new Lazy<IReadOnlyList<SignSample>>(
            () => LabelsFileReader.Read(TestFixtures.DataFile("phoenix2014t", $"labels.{split}"))));

    public IReadOnlyList<SignSample> Split(string split) => _splits[split].Value;
}

public sealed class LabelsFileReaderTests(PhoenixLabels phoenix) : IClassFixture<PhoenixLabels>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("slt-labels-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData("train", 7096, "train/11August_2010_Wednesday_tagesschau-1", 86,
        "JETZT WETTER MORGEN DONNERSTAG ZWOELF FEBRUAR",
        "und nun die wettervorhersage für morgen donnerstag den zwölften august")]
    [InlineData("dev", 519, "dev/11August_2010_Wednesday_tagesschau-2", 42,
        "DRUCK TIEF KOMMEN",
        "tiefer luftdruck bestimmt in den nächsten tagen unser wetter")]
    [InlineData("test", 642, "test/25October_2010_Monday_tagesschau-17", 181,
        "REGEN SCHNEE ALPEN VERSCHWINDEN NORD REGEN KOENNEN REGION STERN KOENNEN SEHEN",
        "regen und schnee lassen an den alpen in der nacht nach im norden und nordosten fallen hier und da schauer sonst ist das klar")]
    public void PhoenixLabelsHaveReferenceCountsAndFirstSample(string split, int count, string firstId, int frames, string gloss, string text)
    {
        var samples = phoenix.Split(split);

        Assert.Equal(count, samples.Count);
        var first = samples[0];
        Assert.Equal(firstId, first.Id);
        Assert.Equal(frames, first.FrameCount);
        Assert.Equal(gloss, first.Gloss);
        Assert.Equal(text, first.Text);
        Assert.Equal(frames, first.FramePaths.Count);
        Assert.Equal($"{firstId}/images0001.png", first.FramePaths[0]);
        Assert.Equal($"{firstId}/images{frames:D4}.png", first.FramePaths[^1]);
        Assert.Null(first.GlossSpans);
        // docs/reference.md#s2.1: the path list always has `length` entries; ids are unique.
        Assert.All(samples, s => Assert.Equal(s.FrameCount, s.FramePaths.Count));
        Assert.Equal(count, samples.Select(s => s.Id).Distinct().Count());
        Assert.All(samples, s => Assert.StartsWith(split + "/", s.Id));
    }

    [Fact]
    public void PhoenixTrainFrameStatisticsMatchTheSpec()
    {
        var samples = phoenix.Split("train");
        var lengths = samples.Select(s => s.FrameCount).ToList();
        Assert.Equal(16, lengths.Min());
        Assert.Equal(475, lengths.Max());
        Assert.Equal(116.6, lengths.Average(), 1);
        Assert.Equal(23, lengths.Count(n => n > 300));
    }

    [Fact]
    public void KeepsInsertionOrderAndReadsGlossSpans()
    {
        var names = new[] { "train/zeta", "train/alpha", "train/mid-1", "train/mid-10" };
        var samples = names.Select((n, i) => TestLabelsFiles.Sample(n, $"text {i}", i + 2)).ToArray();
        samples[1]["gloss_spans"] = new ArrayList { new object[] { "HELLO", 0, 2 }, new ArrayList { "WORLD", 2, 3 } };
        var path = Path.Combine(_folder, "labels.train");
        TestLabelsFiles.Write(path, samples);

        var read = LabelsFileReader.Read(path);

        Assert.Equal(names, read.Select(s => s.Id));
        Assert.Equal([new GlossSpan("HELLO", 0, 2), new GlossSpan("WORLD", 2, 3)], read[1].GlossSpans!);
        Assert.Equal(5, read[3].FrameCount);
        Assert.Equal("text 3", read[3].Text);
    }

    public static TheoryData<string, string, object?, string> SchemaBreaks => new()
    {
        { "length", "length", "86", "expected an int, found str" },
        { "text", "text", null, "missing" },
        { "imgs_path", "imgs_path", "a.png", "expected a list of str" },
        { "unknown", "speaker", "Signer01", "unknown field" },
        { "gloss_spans", "gloss_spans", new ArrayList { new object[] { "A", 3, 1 } }, "invalid frame range" },
    };

    [Theory]
    [MemberData(nameof(SchemaBreaks))]
    public void SchemaProblemsNameFileSampleAndField(string _, string field, object? value, string expected)
    {
        var good = TestLabelsFiles.Sample("dev/ok", "fine", 3);
        var bad = TestLabelsFiles.Sample("dev/broken", "fine", 3);
        bad[field] = value;
        var path = Path.Combine(_folder, "labels.dev");
        TestLabelsFiles.Write(path, good, bad);

        var error = Assert.Throws<DataFormatException>(() => LabelsFileReader.Read(path));

        Assert.Equal(path, error.File);
        Assert.Equal("dev/broken", error.Sample);
        Assert.Equal(field, error.Field);
        Assert.Contains(expected, error.Message);
        Assert.Contains("'dev/broken'", error.Message);
    }

    [Fact]
    public void NonGzipFileIsAnErrorNamingTheFile()
    {
        var path = Path.Combine(_folder, "labels.test");
        File.WriteAllText(path, "name|video\n");
        var error = Assert.Throws<DataFormatException>(() => LabelsFileReader.Read(path));
        Assert.StartsWith(path, error.Message);
        Assert.Null(error.Sample);
    }
}
