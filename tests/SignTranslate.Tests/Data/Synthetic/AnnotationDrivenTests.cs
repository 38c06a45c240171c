using SignTranslate.Data;
using SignTranslate.Data.Synthetic;

namespace SignTranslate.Tests.Data.Synthetic;

public class AnnotationDrivenTests
{
    [Fact]
    public void RealPhoenixAnnotationsKeepTheirNamesTextsAndFrameCounts()
    {
        var file = TestFixtures.DataFile("phoenix2014t", "labels.dev");
        var annotations = AnnotationLabelsReader.Read(file, limit: 25);
        Assert.Equal(25, annotations.Count);
        // Sorted by name, as Python's sorted() orders them.
        var first = annotations[0];
        Assert.Equal("dev/01April_2010_Thursday_heute-6697", first.Name);
        Assert.Equal(["ICH", "LUFT", "WETTER", "GERADE"], first.Glosses);
        Assert.Equal("da können wir mit unserem osterwetter eigentlich ganz zufrieden sein", first.Text);
        Assert.Equal(60, first.FrameCount);

        var dataset = SyntheticDataset.FromAnnotations(SyntheticDatasetTests.Tiny, new Dictionary<string, IReadOnlyList<AnnotatedSentence>> { ["dev"] = annotations });
        var samples = dataset.Samples("dev");
        Assert.Equal(annotations.Select(a => (a.Name, a.Text, a.FrameCount)), samples.Select(s => (s.Id, s.Text, s.FrameCount)));
        Assert.All(samples, s =>
        {
            var spans = s.GlossSpans!;
            Assert.Equal(s.Gloss, string.Join(' ', spans.Select(x => x.Gloss)));
            Assert.True(spans[0].Start >= 0 && spans[^1].End <= s.FrameCount);
            for (var i = 1; i < spans.Count; i++) Assert.True(spans[i].Start >= spans[i - 1].End);
            Assert.All(spans, x => Assert.True(x.End > x.Start));
        });
        Assert.Equal(60 * 3 * 20 * 24, dataset.RenderFrames("dev", 0).Length);
    }

    [Fact]
    public void FitUsesExactlyTheGivenFramesAndShrinksTransitionsForShortVideos()
    {
        var lexicon = SignLexicon.Build(["A", "B", "C"], new SyntheticOptions());
        var roomy = VideoTimeline.Fit(["A", "B", "C"], lexicon, 60, new SyntheticOptions())!;
        Assert.Equal(2, roomy[0].Start); // max_rest_frames
        Assert.Equal(58, roomy[^1].End);
        Assert.Equal(3, roomy[1].Start - roomy[0].End);

        var tight = VideoTimeline.Fit(["A", "B", "C"], lexicon, 3, new SyntheticOptions())!;
        Assert.Equal([new GlossSpan("A", 0, 1), new GlossSpan("B", 1, 2), new GlossSpan("C", 2, 3)], tight);
        Assert.Null(VideoTimeline.Fit(["A", "B", "C"], lexicon, 2, new SyntheticOptions()));
    }

    [Fact]
    public void ProportionalSplitSumsToTheTotalWithAtLeastOneEach()
    {
        // One frame each, then the spare 12 frames split 1:2:3.
        Assert.Equal([3, 5, 7], VideoTimeline.Proportional(15, [1.0, 2.0, 3.0]));
        Assert.Equal([3, 4, 5], VideoTimeline.Proportional(12, [1.0, 2.0, 3.0])); // tie on the remainder goes to the first
        var parts = VideoTimeline.Proportional(10, [1.0, 100.0, 1.0]);
        Assert.Equal(10, parts.Sum());
        Assert.All(parts, p => Assert.True(p >= 1));
    }

    [Fact]
    public void SchemaProblemsNameFileSampleAndField()
    {
        using var folder = new TemporaryFolder();
        var sample = new SignSample { Id = "train/x", Text = "hallo", Gloss = "", FrameCount = 5 };
        global::SignTranslate.Data.Synthetic.LabelsFileWriter.Write(folder["labels.train"], [sample]);
        var error = Assert.ThrowsAny<InputException>(() => AnnotationLabelsReader.Read(folder["labels.train"]));
        Assert.Contains("labels.train", error.Message);
        Assert.Contains("'train/x'", error.Message);
        Assert.Contains("'gloss'", error.Message);

        File.WriteAllText(folder["labels.dev"], "not gzip");
        Assert.Contains("labels.dev", Assert.ThrowsAny<InputException>(() => AnnotationLabelsReader.Read(folder["labels.dev"])).Message);
        Assert.Equal(["train", "dev"], AnnotationLabelsReader.SplitFiles(folder["labels.dev"]).Keys);
    }
}
