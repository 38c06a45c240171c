using SignTranslate.Metrics;

namespace SignTranslate.Tests.Metrics;

public class CocoRougeLTests
{
    [Fact]
    public void FMeasureWeighsRecallWithBeta12()
    {
        // LCS("a b c d", "a c d e f") = 3: P = 3/4, R = 3/5.
        const double p = 0.75, r = 0.6;
        Assert.Equal((1 + 1.44) * p * r / (r + 1.44 * p), CocoRougeL.Sentence("a b c d", "a c d e f"));
    }

    [Theory]
    [InlineData("", "", 1.0)]            // [''] against [''] : LCS 1
    [InlineData("", "a b", 0.0)]
    [InlineData("a b", "x y", 0.0)]
    [InlineData("a b", "a b", 1.0)]
    public void EdgeCases(string hypothesis, string reference, double expected)
    {
        Assert.Equal(expected, CocoRougeL.Sentence(hypothesis, reference));
    }

    [Fact]
    public void DoubleSpacesGiveEmptyTokens()
    {
        // ["a", "", "b", "c"] against ["a", "b", "c"]: LCS 3, P = 3/4, R = 1.
        Assert.Equal(2.44 * 0.75 / (1 + 1.44 * 0.75), CocoRougeL.Sentence("a  b c", "a b c"), 15);
        Assert.Equal(2, CocoRougeL.LongestCommonSubsequence(["", "x", ""], ["", ""]));
    }

    [Fact]
    public void CorpusIsTheMeanInPercentAndZeroWhenEmpty()
    {
        Assert.Equal(50.0, CocoRougeL.Corpus([1.0, 0.0]));
        Assert.Equal(0.0, CocoRougeL.Corpus([]));
    }
}
