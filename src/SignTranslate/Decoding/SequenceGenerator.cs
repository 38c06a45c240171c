using SignTranslate.Models;
using static TorchSharp.torch;

namespace SignTranslate.Decoding;

/// <summary>
/// Greedy and beam-search generation over an <see cref="MBartForConditionalGeneration"/> given encoder states, reproducing
/// HF 4.32 <c>generate()</c> (see the model vectors' README). Both are batched.
/// </summary>
public static class SequenceGenerator
{
    /// <summary>encoderHidden [B,S,D] and encoderMask [B,S] (1 = real, optional) → generated sequences.</summary>
    public static GenerationResult Generate(MBartForConditionalGeneration model, Tensor encoderHidden, Tensor? encoderMask,
        GenerationOptions options)
    {
        options.Validate();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return options.NumBeams == 1
            ? GreedySearch.Run(model, encoderHidden, encoderMask, options)
            : BeamSearch.Run(model, encoderHidden, encoderMask, options);
    }

    /// <summary>Encodes token ids [B,S] (or visual inputs_embeds [B,S,D]) and generates.</summary>
    public static GenerationResult Generate(MBartForConditionalGeneration model, Tensor? inputIds, Tensor? attentionMask,
        GenerationOptions options, Tensor? inputsEmbeds = null)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var encoded = model.Encoder.Forward(inputIds, attentionMask, inputsEmbeds);
        return Generate(model, encoded.LastHiddenState, attentionMask, options);
    }

    /// <summary>
    /// The next-token distribution of the last position: logits [N,V] for sequences [N,L], running the decoder over only
    /// the positions the cache does not hold yet.
    /// </summary>
    internal static Tensor NextTokenLogits(MBartForConditionalGeneration model, long[][] sequences, Tensor encoderHidden,
        Tensor? encoderMask, MBartDecoderCache? cache)
    {
        var past = (int)(cache?.PastLength ?? 0);
        var rows = sequences.Length;
        var width = sequences[0].Length - past;
        var flat = new long[rows * width];
        for (var r = 0; r < rows; r++)
            Array.Copy(sequences[r], past, flat, r * width, width);
        var ids = tensor(flat, new long[] { rows, width }, device: encoderHidden.device);
        var logits = model.DecodeLogits(ids, encoderHidden, encoderMask, cache);       // [N,width,V]
        return logits[.., -1, ..];                                                      // [N,V]
    }

    /// <summary>HF ForcedEOSTokenLogitsProcessor: at cur_len == max_length − 1 every token but EOS gets −inf and EOS gets 0.</summary>
    internal static Tensor ForceEosAtLimit(Tensor scores, int currentLength, GenerationOptions options)
    {
        if (options.ForcedEosTokenId is not { } eos || currentLength != options.MaxLength - 1)
            return scores;
        var forced = full_like(scores, double.NegativeInfinity);
        forced[.., eos] = 0;
        return forced;
    }
}
