using System.Text;
using SignTranslate.Data;
using SignTranslate.Decoding;
using SignTranslate.Metrics;
using SignTranslate.Models;
using SignTranslate.Text;
using static TorchSharp.torch;

namespace SignTranslate.Training;

/// <summary>Translations of a set of videos, the references they are scored against, and the corpus scores.</summary>
public sealed record SplitTranslation(
    IReadOnlyList<string> Ids, IReadOnlyList<string> Hypotheses, IReadOnlyList<string> References, CorpusScore Score);

/// <summary>Decodes batches with an <see cref="SltModel"/> (beam or greedy search) and scores the result (docs/reference.md#s7).</summary>
public static class SplitTranslator
{
    /// <summary>The reference a hypothesis is scored against: the raw text NFKC-normalised, or (faithful) the text re-decoded from its token ids.</summary>
    public static string Reference(string text, ITextTokenizer tokenizer, EvaluationOptions options) =>
        options.ReferencesFromTokenIds ? tokenizer.Decode(tokenizer.Encode(text)) : text.Normalize(NormalizationForm.FormKC);

    /// <summary>Generated texts for one batch (the model must be in eval mode).</summary>
    public static IReadOnlyList<string> TranslateBatch(SltModel model, SignBatch batch, ITextTokenizer tokenizer, EvaluationOptions options, Device device)
    {
        using var scope = NewDisposeScope();
        var generation = options.Generation(tokenizer.LanguageId, tokenizer.EosId, tokenizer.PadId);
        var result = model.Generate(
            batch.Video.Inputs(device), batch.Video.Lengths.to(device), batch.Video.AttentionMask.to(device), generation);
        return result.Sequences.Select(ids => tokenizer.Decode(ids.Select(i => (int)i))).ToList();
    }

    /// <summary>Translates and scores every batch; <paramref name="progress"/> receives the number of videos done.</summary>
    public static SplitTranslation Translate(
        SltModel model, IEnumerable<SignBatch> batches, ITextTokenizer tokenizer, EvaluationOptions options, Device device,
        CancellationToken cancel = default, Action<int>? progress = null)
    {
        var ids = new List<string>();
        var hypotheses = new List<string>();
        var references = new List<string>();
        foreach (var batch in batches)
        {
            using (batch)
            {
                cancel.ThrowIfCancellationRequested();
                hypotheses.AddRange(TranslateBatch(model, batch, tokenizer, options, device));
                references.AddRange(batch.Texts.Select(t => Reference(t, tokenizer, options)));
                ids.AddRange(batch.Ids);
            }
            progress?.Invoke(ids.Count);
        }
        return new SplitTranslation(ids, hypotheses, references, CorpusScorer.Score(hypotheses, references, options.Scoring));
    }
}
