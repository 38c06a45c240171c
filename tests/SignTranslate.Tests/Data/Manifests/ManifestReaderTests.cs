using SignTranslate.Data;
using SignTranslate.Data.Manifests;
using SignTranslate.Data.Video;

namespace SignTranslate.Tests.Data.Manifests;

public sealed class ManifestReaderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("slt-manifest-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void ReadsATsvWithEveryColumn()
    {
        var path = Write("train.tsv",
            "id\tvideo\tstart\tend\ttext\tsigner\tgloss\tgloss_spans\n" +
            "s1\tclips/a.mp4\t1.5\t3.2\the said \"hi\", twice\tp07\tHI TWICE\tHI:0:10 TWICE:12:30\n" +
            "\n" +
            "s2\tclips/b.webm\t\t\tno times\t\t\t\n");

        var samples = ManifestReader.Read(path, framesPerSecond: 30);

        Assert.Equal(2, samples.Count);
        var first = samples[0];
        Assert.Equal(("s1", "he said \"hi\", twice", "HI TWICE", "p07"), (first.Id, first.Text, first.Gloss, first.Signer));
        Assert.Equal(Path.Combine(_folder, "clips", "a.mp4"), first.VideoFile);
        Assert.Equal(new ClipTimes(1.5, 3.2), first.Clip);
        Assert.Equal(51, first.FrameCount); // 1.7 s at 30 fps
        Assert.Equal([new GlossSpan("HI", 0, 10), new GlossSpan("TWICE", 12, 30)], first.GlossSpans);
        Assert.Equal($"{path}:2", first.Origin);
        Assert.Equal((ClipTimes.Whole, 0, null, null), (samples[1].Clip, samples[1].FrameCount, samples[1].Gloss, samples[1].GlossSpans));
        Assert.Equal($"{path}:4", samples[1].Origin);
    }

    [Fact]
    public void ReadsACsvWithQuotedFieldsAndOnlyTheRequiredColumns()
    {
        var path = Write("dev.csv", "text,id,video\n\"one, \"\"two\"\"\",d1,v.mp4\n");

        var sample = Assert.Single(ManifestReader.Read(path));

        Assert.Equal(("d1", "one, \"two\""), (sample.Id, sample.Text));
        Assert.Equal(ClipTimes.Whole, sample.Clip);
    }

    [Fact]
    public void ARowWithKeypointsMayLeaveTheVideoEmpty()
    {
        var path = Write("pose.tsv", "id\tvideo\ttext\tgloss_spans\tkeypoints\nk1\t\thello\tHI:0:4\tpose/k1.pkl\n");

        var sample = Assert.Single(ManifestReader.Read(path));

        Assert.Equal(Path.Combine(_folder, "pose", "k1.pkl"), sample.KeypointFile);
        Assert.Equal((null, 0, 0), (sample.VideoFile, sample.FramePaths.Count, sample.FrameCount));
        Assert.Equal([new GlossSpan("HI", 0, 4)], sample.GlossSpans);
        Assert.Equal($"{path}:2", sample.Origin);

        var timed = Write("timed.tsv", "id\tvideo\tstart\ttext\tkeypoints\nk2\t\t1.0\thi\tk2.pkl\n");
        Assert.Contains($"{timed}:2", Assert.Throws<DataFormatException>(() => ManifestReader.Read(timed)).Message);
        var neither = Write("neither.tsv", "id\tvideo\ttext\nk3\t\thi\n");
        Assert.Contains("or is empty beside a keypoints file", Assert.Throws<DataFormatException>(() => ManifestReader.Read(neither)).Message);
    }

    [Fact]
    public void AFolderOfFramesIsReadAsFramesInNameOrder()
    {
        var frames = Directory.CreateDirectory(Path.Combine(_folder, "frames", "v1")).FullName;
        foreach (var name in new[] { "b.png", "a.jpg", "c.txt", "A.jpeg" }) File.WriteAllBytes(Path.Combine(frames, name), [1]);
        var path = Write("test.tsv", "id\tvideo\ttext\nt1\tframes/v1\thello\n");

        var sample = Assert.Single(ManifestReader.Read(path));

        Assert.Null(sample.VideoFile);
        Assert.Equal(new[] { "A.jpeg", "a.jpg", "b.png" }.Select(f => Path.Combine(frames, f)), sample.FramePaths);
        Assert.Equal(3, sample.FrameCount);
    }

    [Theory]
    [InlineData("id\tvideo\ttext\nx\t../escape.mp4\tt\n", ":2: field 'video': '../escape.mp4' contains a '..' segment")]
    [InlineData("id\tvideo\ttext\nx\t/etc/passwd\tt\n", ":2: field 'video': '/etc/passwd' is an absolute path")]
    [InlineData("id\tvideo\ttext\tstart\nx\ta.mp4\tt\tsoon\n", ":2: field 'start': expected seconds (a number ≥ 0, '.' as decimal point) or nothing, found 'soon'")]
    [InlineData("id\tvideo\ttext\tstart\tend\nx\ta.mp4\tt\t2\t1.5\n", ":2: field 'end': 1.5 s is not after the start (2 s)")]
    [InlineData("id\tvideo\ttext\tgloss_spans\nx\ta.mp4\tt\tHI:5\n", ":2: field 'gloss_spans': 'HI:5' is not GLOSS:START:END")]
    [InlineData("id\tvideo\ttext\tcomment\nx\ta.mp4\tt\tc\n", ":1: field 'comment': unknown column; the columns are id, video, text and optionally start, end, signer, gloss, gloss_spans, keypoints")]
    [InlineData("id\tvideo\ttext\tkeypoints\nx\ta.mp4\tt\t../pose/x.pkl\n", ":2: field 'keypoints': '../pose/x.pkl' contains a '..' segment")]
    [InlineData("id\tvideo\ttext\tkeypoints\nx\ta.mp4\tt\t/tmp/x.pkl\n", ":2: field 'keypoints': '/tmp/x.pkl' is an absolute path")]
    [InlineData("id\tvideo\nx\ta.mp4\n", ":1: the header lacks the column text (found: id, video)")]
    [InlineData("id\tvideo\ttext\nx\ta.mp4\tt\textra\n", ":2: expected 3 tab-separated fields (id, video, text), found 4")]
    [InlineData("id\tvideo\ttext\n\ta.mp4\tt\n", ":2: field 'id': empty; every sample needs an id")]
    public void StructuralProblemsNameTheFileAndLine(string text, string expected)
    {
        var path = Write("bad.tsv", text);

        var error = Assert.Throws<DataFormatException>(() => ManifestReader.Read(path));

        Assert.StartsWith(path + expected, error.Message);
    }

    [Fact]
    public void AMissingManifestIsNamed()
    {
        var path = Path.Combine(_folder, "none.tsv");
        Assert.Equal($"{path}: file not found", Assert.Throws<DataFormatException>(() => ManifestReader.Read(path)).Message);
    }

    [Fact]
    public void WhatTheWriterWritesTheReaderReadsBack()
    {
        var path = Path.Combine(_folder, "round.tsv");
        ManifestWriter.Write(path,
        [
            new ManifestEntry("a/1", "videos/a 1.mp4", "text with\ta tab\nand a line break") { Start = 0.5, End = 2, Signer = "s", Gloss = "X Y",
                GlossSpans = [new GlossSpan("X", 0, 4), new GlossSpan("Y", 4, 9)] },
            new ManifestEntry("a/2", "videos/a2.mp4", "plain"),
        ]);

        var samples = ManifestReader.Read(path);

        Assert.Equal(["a/1", "a/2"], samples.Select(s => s.Id));
        Assert.Equal("text with a tab and a line break", samples[0].Text);
        Assert.Equal((new ClipTimes(0.5, 2), "s", "X Y"), (samples[0].Clip, samples[0].Signer, samples[0].Gloss));
        Assert.Equal([new GlossSpan("X", 0, 4), new GlossSpan("Y", 4, 9)], samples[0].GlossSpans);
        Assert.Equal(Path.Combine(_folder, "videos", "a 1.mp4"), samples[0].VideoFile);
        Assert.False(File.Exists(path + ".tmp"));
    }

    [Fact]
    public void KeypointsRoundTripAndResolveAgainstTheManifestFolder()
    {
        var path = Path.Combine(_folder, "pose.tsv");
        ManifestWriter.Write(path,
        [
            new ManifestEntry("k1", "videos/k1.mp4", "with pose") { Keypoints = "pose/k1.pkl" },
            new ManifestEntry("k2", "videos/k2.mp4", "openpose folder") { Keypoints = "pose/k2_json" },
            new ManifestEntry("k3", "videos/k3.mp4", "without"),
        ]);

        Assert.Equal("id\tvideo\tstart\tend\ttext\tsigner\tgloss\tgloss_spans\tkeypoints", File.ReadLines(path).First());
        var samples = ManifestReader.Read(path);

        Assert.Equal(Path.Combine(_folder, "pose", "k1.pkl"), samples[0].KeypointFile);
        Assert.Equal(Path.Combine(_folder, "pose", "k2_json"), samples[1].KeypointFile);
        Assert.Null(samples[2].KeypointFile);
    }

    [Fact]
    public void WithoutKeypointsTheWriterLeavesTheColumnOut()
    {
        var path = Path.Combine(_folder, "plain.tsv");
        ManifestWriter.Write(path, [new ManifestEntry("p", "p.mp4", "plain")]);

        Assert.Equal("id\tvideo\tstart\tend\ttext\tsigner\tgloss\tgloss_spans", File.ReadLines(path).First());
        Assert.Null(Assert.Single(ManifestReader.Read(path)).KeypointFile);
    }
}
