using static TorchSharp.torch;

namespace SignTranslate.Text;

/// <summary>Token ids of a batch of sentences, padded to the longest: <c>InputIds</c> and <c>AttentionMask</c> (B, L), int64.</summary>
public sealed record TextBatch(Tensor InputIds, Tensor AttentionMask) : IDisposable
{
    public void Dispose()
    {
        InputIds.Dispose();
        AttentionMask.Dispose();
    }
}

/// <summary>Tokenizes a list of sentences into one padded batch, as the reference's HF call does (docs/reference.md#s2.3).</summary>
public static class TextBatchEncoder
{
    /// <summary>
    /// Ids of each sentence, truncated to <paramref name="maxLength"/> by dropping pieces before the closing
    /// <c>&lt;/s&gt;</c> + language code (HF truncation keeps the special suffix).
    /// </summary>
    public static IReadOnlyList<int> EncodeTruncated(ITextTokenizer tokenizer, string text, int maxLength)
    {
        var ids = tokenizer.Encode(text);
        if (ids.Count <= maxLength) return ids;
        if (maxLength < 2) throw new ArgumentOutOfRangeException(nameof(maxLength), maxLength, "must leave room for </s> and the language code");
        return [.. ids.Take(maxLength - 2), ids[^2], ids[^1]];
    }

    public static TextBatch Encode(ITextTokenizer tokenizer, IReadOnlyList<string> texts, int maxLength = 1024)
    {
        var rows = texts.Select(t => EncodeTruncated(tokenizer, t, maxLength)).ToList();
        var width = rows.Count == 0 ? 0 : rows.Max(r => r.Count);
        var ids = new long[rows.Count * width];
        var mask = new long[rows.Count * width];
        Array.Fill(ids, tokenizer.PadId);
        for (var b = 0; b < rows.Count; b++)
            for (var i = 0; i < rows[b].Count; i++)
            {
                ids[b * width + i] = rows[b][i];
                mask[b * width + i] = 1;
            }
        return new TextBatch(tensor(ids, [rows.Count, width]), tensor(mask, [rows.Count, width]));
    }
}
