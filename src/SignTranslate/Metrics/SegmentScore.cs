namespace SignTranslate.Metrics;

/// <summary>
/// The summable statistics of one hypothesis/reference pair: what a corpus score (or a bootstrap resample of
/// segments) is built from.
/// </summary>
/// <param name="TokenizedHypothesis">The hypothesis after preprocessing, lowercasing, right-strip and the tokenizer.</param>
/// <param name="TokenizedReference">The reference, processed the same way.</param>
/// <param name="Bleu">BLEU statistics of this segment.</param>
/// <param name="RougeL">COCO ROUGE-L F-measure (0..1) on the preprocessed strings.</param>
public sealed record SegmentScore(string TokenizedHypothesis, string TokenizedReference, BleuStatistics Bleu, double RougeL);
