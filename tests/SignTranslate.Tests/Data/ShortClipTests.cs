using SignTranslate.Data;
using SignTranslate.Text;
using static TorchSharp.torch;

namespace SignTranslate.Tests.Data;

public sealed class ShortClipTests
{
    private sealed class BlankVideos : IVideoSource
    {
        public Tensor Load(SignSample sample, bool training, Random rng, FrameSelection? selection = null) => zeros(sample.FrameCount, 3, 4, 4);
    }

    [Theory]
    [InlineData(PaddingScheme.Reference, 1)]
    [InlineData(PaddingScheme.None, 16)]
    public void TheMinimumIsTheShortestClipTheTemporalConvolutionTurnsIntoAnOutput(PaddingScheme scheme, int minimum)
    {
        Assert.Equal(minimum, VideoLengths.MinimumFrames(scheme));
        if (minimum > 1) Assert.Equal(0, VideoLengths.AfterTemporalConv(VideoLengths.Padded(minimum - 1, scheme)));
        Assert.True(VideoLengths.AfterTemporalConv(VideoLengths.Padded(minimum, scheme)) >= 1);
    }

    [Fact]
    public void AClipShorterThanTheModelNeedsIsNamedBeforeTheModelSeesIt()
    {
        SignSample[] samples =
        [
            new() { Id = "long", Text = "a b", FrameCount = 16 },
            new() { Id = "short", Text = "a b", FrameCount = 15, Origin = "train.tsv:3" },
        ];
        var tokenizer = VocabularyTokenizer.TrainWords(samples.Select(s => s.Text), "en_XX");
        var options = new DataOptions { Collation = new CollationOptions { Padding = PaddingScheme.None } };
        var builder = new SignBatchBuilder(samples, new BlankVideos(), tokenizer, options, training: false, withMaskedText: false);

        using (builder.Build([0], 1)) { }
        var error = Assert.Throws<InputException>(() => builder.Build([0, 1], 1));

        Assert.Equal("train.tsv:3: sample 'short': 15 frames, fewer than the 16 the model needs with collation.padding none; " +
                     "remove the sample (slt data check lists such clips) or use padding: reference", error.Message);
    }
}
