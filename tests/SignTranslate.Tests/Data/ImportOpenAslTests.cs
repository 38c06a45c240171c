using SignTranslate.Data;
using SignTranslate.Data.Import;
using SignTranslate.Data.Manifests;

namespace SignTranslate.Tests.Data;

public sealed class ImportOpenAslTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("slt-import-openasl-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Tsv => Path.Combine(_root, "openasl-v1.0.tsv");
    private string Videos => Path.Combine(_root, "raw-video");

    /// <summary>Four rows from two YouTube videos in OpenASL's columns; the videos are written unless the test says not.</summary>
    private void Write(Func<string, string>? edit = null, bool videos = true)
    {
        var tsv = ImportFixtures.OpenAslHeader + "\n" +
                  "yt1-00:00:01.000-00:00:02.000\tyt1\t00:00:01.000\t00:00:02.000\tWe hold the rope.\twe hold the rope .\t\ttrain\n" +
                  "yt1-00:00:02.500-00:00:03.500\tyt1\t00:00:02.500\t00:00:03.500\tPull it!\tpull it !\t\ttrain\n" +
                  "yt2-00:00:00.200-00:00:01.000\tyt2\t0.2\t1\tHold it.\thold it .\tHOLD IT\tvalid\n" +
                  "yt2-00:00:01.000-00:00:02.000\tyt2\t00:01.0\t00:02.0\tThe rope.\tthe rope .\t\ttest\n";
        File.WriteAllText(Tsv, edit is null ? tsv : edit(tsv));
        Directory.CreateDirectory(Videos);
        if (videos)
            for (var i = 1; i <= 2; i++) ImportFixtures.WriteClip(Path.Combine(Videos, $"yt{i}.mp4"), i, 4, fps: 25);
    }

    [Fact]
    public void RowsBecomeTimedClipsOfTheYouTubeVideosAndValidBecomesDev()
    {
        Write();
        var corpus = OpenAslImporter.Import(Tsv, Videos, _root, clips: false, OpenAslImporter.DefaultTextColumn, skipMissing: false);
        Assert.Equal(2, corpus.Splits[Split.Train].Count);
        Assert.Equal(25, corpus.SuggestedFps);
        Assert.Equal(new ManifestEntry("yt2-00:00:00.200-00:00:01.000", "raw-video/yt2.mp4", "Hold it.") { Start = 0.2, End = 1, Gloss = "HOLD IT" },
            Assert.Single(corpus.Splits[Split.Dev]));
        var test = Assert.Single(corpus.Splits[Split.Test]);
        Assert.Equal((1.0, 2.0), (test.Start, test.End));

        CorpusManifests.Write(_root, corpus);
        var train = ManifestReader.Read(Path.Combine(_root, "manifest.train.tsv"), 25);
        Assert.Equal(Path.Combine(Videos, "yt1.mp4"), train[1].VideoFile);
        Assert.Equal((2.5, 3.5), (train[1].Clip.Start, train[1].Clip.End));
        Assert.Equal(25, train[1].FrameCount);
    }

    [Fact]
    public void CutClipsAreFoundByVidIncludingCropVideoNames()
    {
        Write(videos: false);
        ImportFixtures.WriteClip(Path.Combine(Videos, "yt1-00:00:01.000-00:00:02.000.mp4"), 1, 3);
        ImportFixtures.WriteClip(Path.Combine(Videos, "yt1-00%00%02.500-00%00%03.500.mp4"), 2, 3); // prep/crop_video.py's ':' → '%'
        var corpus = OpenAslImporter.Import(Tsv, Videos, _root, clips: true, "tokenized-text", skipMissing: true);
        Assert.Equal(
            [new ManifestEntry("yt1-00:00:01.000-00:00:02.000", "raw-video/yt1-00:00:01.000-00:00:02.000.mp4", "we hold the rope ."),
             new ManifestEntry("yt1-00:00:02.500-00:00:03.500", "raw-video/yt1-00%00%02.500-00%00%03.500.mp4", "pull it !")],
            corpus.Splits[Split.Train]);
        Assert.Equal(2, corpus.Skipped.Count);
    }

    [Fact]
    public void MissingVideosAreCountedAndListedUnlessSkipped()
    {
        Write();
        File.Delete(Path.Combine(Videos, "yt2.mp4"));
        var e = Assert.Throws<InputException>(() => OpenAslImporter.Import(Tsv, Videos, _root, false, "raw-text", false));
        Assert.StartsWith("2 videos are missing (first: ", e.Message);
        Assert.Contains("openasl-v1.0.tsv:4: ", e.Message);
        Assert.Contains("openasl-v1.0.tsv:5: ", e.Message);

        var corpus = OpenAslImporter.Import(Tsv, Videos, _root, false, "raw-text", skipMissing: true);
        Assert.Empty(corpus.Splits[Split.Dev]);
        Assert.Equal(2, corpus.Skipped.Count);
    }

    [Theory]
    [InlineData("\tsplit\n", "\tpart\n", "openasl-v1.0.tsv:1: the header lacks the column split")]
    [InlineData("\t0.2\t1\t", "\t0.2\tsoon\t", "openasl-v1.0.tsv:4: field 'end': expected a time in seconds")]
    [InlineData("\t0.2\t1\t", "\t0.2\t0.1\t", "openasl-v1.0.tsv:4: field 'end': 0.1 is not after the start (0.2)")]
    [InlineData("\tvalid\n", "\tholdout\n", "openasl-v1.0.tsv:4: field 'split': 'holdout' is not train, valid or test")]
    [InlineData("\tyt2\t0.2", "\t../yt2\t0.2", "openasl-v1.0.tsv:4: field 'yid': '../yt2' contains '/'")]
    public void FormatProblemsNameTheFileLineAndColumn(string from, string to, string expected)
    {
        Write(tsv => tsv.Replace(from, to));
        var e = Assert.ThrowsAny<InputException>(() => OpenAslImporter.Import(Tsv, Videos, _root, false, "raw-text", false));
        Assert.Contains(expected, e.Message);
    }

    [Theory]
    [InlineData("12.5", 12.5)]
    [InlineData("01:02.5", 62.5)]
    [InlineData("01:00:01.250", 3601.25)]
    public void TimesAreSecondsOrClockTimes(string text, double seconds)
    {
        Assert.True(OpenAslImporter.TryParseTime(text, out var parsed));
        Assert.Equal(seconds, parsed, 9);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1:75")]
    [InlineData("-3")]
    [InlineData("1:2:3:4")]
    public void OtherTimesAreRefused(string text) => Assert.False(OpenAslImporter.TryParseTime(text, out _));
}
