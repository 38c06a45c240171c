namespace SignTranslate.Metrics;

/// <summary>
/// Scores hypotheses against references (one reference each) the way the reference code does: optional char-split
/// of both sides, then sacreBLEU's lowercase → right-strip → tokenizer → whitespace split for BLEU, and COCO
/// ROUGE-L on the (char-split) strings as given.
/// </summary>
public static class CorpusScorer
{
    public static CorpusScore Score(IReadOnlyList<string> hypotheses, IReadOnlyList<string> references, ScoringOptions options) =>
        CorpusScore.FromSegments(ScoreSegments(hypotheses, references, options), options);

    /// <summary>Per-segment statistics, in input order.</summary>
    public static IReadOnlyList<SegmentScore> ScoreSegments(
        IReadOnlyList<string> hypotheses, IReadOnlyList<string> references, ScoringOptions options)
    {
        if (hypotheses.Count != references.Count)
            throw new ArgumentException(
                $"{hypotheses.Count} hypotheses but {references.Count} references; each hypothesis needs one reference.");
        var segments = new SegmentScore[hypotheses.Count];
        for (var i = 0; i < segments.Length; i++)
            segments[i] = ScoreSegment(hypotheses[i], references[i], options);
        return segments;
    }

    public static SegmentScore ScoreSegment(string hypothesis, string reference, ScoringOptions options)
    {
        var metricHypothesis = Preprocess(hypothesis, options);
        var metricReference = Preprocess(reference, options);
        var tokenizedHypothesis = TokenizeForBleu(metricHypothesis, options);
        var tokenizedReference = TokenizeForBleu(metricReference, options);
        return new SegmentScore(
            tokenizedHypothesis,
            tokenizedReference,
            BleuStatistics.ForSegment(tokenizedHypothesis, tokenizedReference),
            CocoRougeL.Sentence(metricHypothesis, metricReference));
    }

    /// <summary>The string every metric sees: char-split if enabled, else the input.</summary>
    public static string Preprocess(string text, ScoringOptions options) =>
        options.CharSplit ? CodePoints.JoinWithSpaces(text) : text;

    /// <summary>sacreBLEU's segment preprocessing: lowercase (optional), <c>rstrip()</c>, tokenizer.</summary>
    public static string TokenizeForBleu(string text, ScoringOptions options)
    {
        if (options.Lowercase)
            text = PythonLowercase.Lower(text);
        return options.Tokenize.Tokenize(PythonWhitespace.TrimEnd(text));
    }
}
