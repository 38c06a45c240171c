using SignTranslate.Models;
using static TorchSharp.torch;

namespace SignTranslate.Decoding;

/// <summary>HF 4.32 greedy search: argmax of the processed logits; finished rows are padded until every row is done.</summary>
internal static class GreedySearch
{
    public static GenerationResult Run(MBartForConditionalGeneration model, Tensor encoderHidden, Tensor? encoderMask,
        GenerationOptions options)
    {
        var batch = (int)encoderHidden.shape[0];
        var sequences = Enumerable.Range(0, batch).Select(_ => new[] { options.DecoderStartTokenId }).ToArray();
        var unfinished = Enumerable.Repeat(true, batch).ToArray();
        using var cache = options.UseCache ? model.Decoder.NewCache() : null;

        while (true)
        {
            long[] next;
            using (NewDisposeScope())
            {
                var logits = SequenceGenerator.NextTokenLogits(model, sequences, encoderHidden, encoderMask, cache);  // [B,V]
                var scores = SequenceGenerator.ForceEosAtLimit(logits, sequences[0].Length, options);
                next = scores.argmax(-1).cpu().data<long>().ToArray();
            }
            for (var b = 0; b < batch; b++)
            {
                var token = unfinished[b] ? next[b] : options.PadTokenId;
                sequences[b] = [.. sequences[b], token];
                unfinished[b] &= token != options.EosTokenId;
            }
            if (!unfinished.Any(u => u) || sequences[0].Length >= options.MaxLength)
                break;
        }
        return new GenerationResult(sequences, null);
    }
}
