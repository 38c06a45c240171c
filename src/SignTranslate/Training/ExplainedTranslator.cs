using SignTranslate.Data;
using SignTranslate.Decoding;
using SignTranslate.Metrics;
using SignTranslate.Models;
using SignTranslate.Text;
using static TorchSharp.torch;

namespace SignTranslate.Training;

/// <summary>One output token: its id, its text alone, the probability the model gave it, and its attention per input frame.</summary>
/// <param name="FrameAttention">Cross-attention mass of this token over the clip's real frames (sums to about 1).</param>
public sealed record ExplainedToken(int Id, string Text, double Probability, float[] FrameAttention);

/// <summary>
/// A translation with what the model looked at: the text (exactly what <see cref="SplitTranslator.TranslateBatch"/>
/// gives), one <see cref="ExplainedToken"/> per generated token (end of sentence excluded), the probability of the end
/// of sentence, and the clip's frames projected to 2-D (as <c>slt density</c> projects features).
/// </summary>
public sealed record ExplainedTranslation(
    string Text, IReadOnlyList<ExplainedToken> Tokens, double EndProbability, int Frames, int EncoderSteps, Projection2D FrameMap);

/// <summary>
/// Translates one clip and explains it. The search is the normal one; then the decoder runs once more with teacher
/// forcing on the chosen tokens to read their probabilities and cross-attention, so the translation itself is the
/// same number for number as <c>slt translate</c>'s.
/// </summary>
public static class ExplainedTranslator
{
    /// <summary>Explains the first video of <paramref name="batch"/> (the model must be in eval mode).</summary>
    public static ExplainedTranslation Explain(SltModel model, SignBatch batch, ITextTokenizer tokenizer, EvaluationOptions options, Device device)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var video = batch.Video;
        var mask = video.AttentionMask.to(device)[..1];
        var (embeds, visual) = model.Embed(video.Inputs(device), video.Lengths.to(device));
        embeds = embeds[..1];
        var encoded = model.MBart.Encoder.Forward(null, mask, embeds).LastHiddenState;               // [1,S,D]
        var generation = options.Generation(tokenizer.LanguageId, tokenizer.EosId, tokenizer.PadId);
        var sequence = SequenceGenerator.Generate(model.MBart, encoded, mask, generation).Sequences[0];
        var text = tokenizer.Decode(sequence.Select(i => (int)i));

        // Teacher forcing: input = start + tokens, target = tokens (+ </s> when the search ended with one).
        var ids = sequence.TakeWhile((id, i) => i == 0 || id != tokenizer.EosId).ToArray();   // rows are padded only after </s>
        var ended = ids.Length < sequence.Length && sequence[ids.Length] == tokenizer.EosId;
        var targets = ids.Skip(1).Concat(ended ? [(long)tokenizer.EosId] : []).ToArray();
        var tokenCount = ids.Length - 1;
        var steps = (int)visual.Features.shape[1];
        var frames = video.FrameCounts[0];
        float[][] stepAttention = [];
        double[] probabilities = [];
        if (targets.Length > 0)
        {
            var input = tensor(ids[..targets.Length], device: device).unsqueeze(0);                 // [1,L]
            var attentions = new List<Tensor>();
            var hidden = model.MBart.Decoder.Forward(input, null, encoded, mask, crossAttentions: attentions).LastHiddenState;
            var logProbabilities = model.MBart.Logits(hidden)[0].log_softmax(-1);       // [L,V]
            var chosen = logProbabilities.gather(1, tensor(targets, device: device).unsqueeze(1)).squeeze(1).exp();
            probabilities = chosen.cpu().to(ScalarType.Float64).data<double>().ToArray();
            // Mean over layers and heads: one distribution per token over the encoder steps.
            var mean = stack(attentions, 0).mean([0, 2])[0];                                        // [L,S]
            stepAttention = Enumerable.Range(0, targets.Length)
                .Select(i => mean[i].cpu().to(ScalarType.Float32).data<float>().ToArray()).ToArray();
        }
        var tokens = Enumerable.Range(0, tokenCount).Select(i => new ExplainedToken(
            (int)targets[i], tokenizer.Decode([(int)targets[i]]), probabilities[i],
            ToFrames(stepAttention[i], frames, video.LeadingPadding, video.PaddedLengths[0]))).ToList();
        var end = ended ? probabilities[^1] : 0;

        var leading = video.LeadingPadding;
        var frameFeatures = visual.FrameFeatures[0, leading..(leading + frames)];                    // [n,F]
        return new ExplainedTranslation(text, tokens, end, frames, steps, FeatureProjection.Principal2D(frameFeatures.cpu()));
    }

    /// <summary>
    /// Spreads attention over encoder steps onto the clip's real frames: step j of S covers padded frames
    /// [j·T/S, (j+1)·T/S) (TemporalConv shrinks time evenly), each frame takes its step's weight shared among the frames
    /// of that step, and the replicated padding frames are dropped.
    /// </summary>
    public static float[] ToFrames(float[] steps, int frames, int leadingPadding, int paddedLength)
    {
        var perFrame = new float[frames];
        if (steps.Length == 0 || frames == 0) return perFrame;
        var stepOf = new int[frames];
        var share = new int[steps.Length];
        for (var i = 0; i < frames; i++)
        {
            stepOf[i] = Math.Clamp((int)((long)(i + leadingPadding) * steps.Length / paddedLength), 0, steps.Length - 1);
            share[stepOf[i]]++;
        }
        for (var i = 0; i < frames; i++) perFrame[i] = steps[stepOf[i]] / share[stepOf[i]];
        return perFrame;
    }
}
