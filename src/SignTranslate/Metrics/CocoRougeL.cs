using System.Runtime.CompilerServices;

namespace SignTranslate.Metrics;

/// <summary>
/// COCO-caption ROUGE-L (nlg-eval, signjoey's <c>mscoco_rouge</c>): per sentence the LCS F-measure with
/// β = 1.2 over tokens split on single spaces; a corpus scores the plain mean of its sentence values.
/// </summary>
public static class CocoRougeL
{
    // Python's BETA ** 2 with BETA = 1.2; equal to 1.2 * 1.2 in IEEE doubles.
    private const double BetaSquared = 1.2 * 1.2;

    /// <summary>
    /// F-measure (0..1) of one hypothesis against one reference. Tokens are <c>s.split(" ")</c>: runs of spaces
    /// give empty tokens and an empty string is one empty token, so empty against empty scores 1.
    /// </summary>
    public static double Sentence(string hypothesis, string reference)
    {
        var hypothesisTokens = hypothesis.Split(' ');
        var referenceTokens = reference.Split(' ');
        var lcs = LongestCommonSubsequence(hypothesisTokens, referenceTokens);
        var precision = lcs / (double)hypothesisTokens.Length;
        var recall = lcs / (double)referenceTokens.Length;
        if (precision == 0 || recall == 0)
            return 0.0;
        return (1 + BetaSquared) * precision * recall / (recall + BetaSquared * precision);
    }

    /// <summary>
    /// Corpus ROUGE-L in percent: signjoey's Σ (F_i / n) accumulated in order, times 100 (0 for no sentences).
    /// The sentence values are the summable statistic: shards combine by concatenating their lists.
    /// </summary>
    public static double Corpus(IReadOnlyList<double> sentenceScores)
    {
        var sum = 0.0;
        foreach (var score in sentenceScores)
            sum += score / sentenceScores.Count;
        return sum * 100;
    }

    /// <summary>Length of the longest common subsequence of two token sequences (one rolling DP row).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int LongestCommonSubsequence(string[] first, string[] second)
    {
        if (first.Length < second.Length)
            (first, second) = (second, first);
        var row = new int[second.Length + 1];
        foreach (var token in first)
        {
            var diagonal = 0;
            for (var j = 1; j <= second.Length; j++)
            {
                var above = row[j];
                row[j] = string.Equals(token, second[j - 1], StringComparison.Ordinal)
                    ? diagonal + 1
                    : Math.Max(above, row[j - 1]);
                diagonal = above;
            }
        }
        return row[second.Length];
    }
}
