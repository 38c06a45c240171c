using SignTranslate.Data;
using SignTranslate.Training;
using static TorchSharp.torch;

namespace SignTranslate.Tests.Training;

public class ExplainedTranslatorTests
{
    [Fact]
    public void ExplanationKeepsTheTranslationAndGivesOneAttentionRowPerToken()
    {
        var config = TinyExperiment.Config();
        var data = ExperimentData.Open(config);
        var tokenizer = data.CreateTokenizer();
        random.manual_seed(3);
        using var model = TrainedModels.NewSlt(config, tokenizer);
        model.eval();
        var builder = data.Batches(Split.Dev, tokenizer, training: false, withMaskedText: false);
        for (var i = 0; i < 4; i++)
        {
            using var batch = builder.Build([i], 0);
            var expected = SplitTranslator.TranslateBatch(model, batch, tokenizer, config.Eval, CPU)[0];
            var explained = ExplainedTranslator.Explain(model, batch, tokenizer, config.Eval, CPU);

            Assert.Equal(expected, explained.Text);
            Assert.Equal(batch.Video.FrameCounts[0], explained.Frames);
            Assert.Equal(explained.Frames, explained.FrameMap.X.Length);
            foreach (var token in explained.Tokens)
            {
                Assert.InRange(token.Probability, 0, 1);
                Assert.Equal(explained.Frames, token.FrameAttention.Length);
                // Padding frames take a little mass away; the real frames hold the rest.
                Assert.InRange(token.FrameAttention.Sum(), 0.3, 1.0001);
            }
            Assert.Equal(expected, tokenizer.Decode(explained.Tokens.Select(t => t.Id)));
        }
    }

    [Fact]
    public void AttentionOverStepsIsSharedAmongTheFramesOfEachStep()
    {
        // 8 real frames after 0 padding frames, 2 steps: frames 0-3 share step 0, 4-7 step 1.
        var frames = ExplainedTranslator.ToFrames([0.25f, 0.75f], frames: 8, leadingPadding: 0, paddedLength: 8);
        Assert.Equal([0.0625f, 0.0625f, 0.0625f, 0.0625f, 0.1875f, 0.1875f, 0.1875f, 0.1875f], frames);
        Assert.Empty(ExplainedTranslator.ToFrames([], 0, 0, 0));
    }

    [Fact]
    public void ThumbnailsAreEvenlySpacedPngs()
    {
        var config = TinyExperiment.Config();
        var data = ExperimentData.Open(config);
        using var batch = data.Batches(Split.Dev, data.CreateTokenizer(), training: false, withMaskedText: false).Build([0], 0);
        var thumbnails = ClipThumbnails.Of(batch.Video, 4);
        Assert.Equal(4, thumbnails.Count);
        Assert.Equal(0, thumbnails[0].Frame);
        Assert.All(thumbnails, t => Assert.Equal(0x89, t.Png[0]));
    }
}
