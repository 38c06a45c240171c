using Serilog;
using static TorchSharp.torch;

namespace SignTranslate.Losses;

/// <summary>
/// Turns draws into a weighted <see cref="DrawLayout"/> for the two normalisations: the reference one (one draw shared
/// by the batch, ÷ B·(T − 4)) and the masked one (one draw per sequence over its real length, mean over its anchors,
/// then mean over sequences). Every loss is then Σ weight·term.
/// </summary>
internal static class BatchDraws
{
    /// <summary>
    /// Reference layout: every sequence uses <paramref name="draw"/>; an anchor's positive term is averaged over the
    /// batch and its positives (likewise negatives), and the sum over anchors is divided by B·(T − 4).
    /// <paramref name="averageWithinAnchor"/> false (InfoNCE) sums an anchor's terms over the batch instead.
    /// Returns null when T &lt; 5 (no loss).
    /// </summary>
    public static DrawLayout? Reference(Tensor features, SequenceDraw draw, bool averageWithinAnchor)
    {
        var (batch, frames) = Shape(features);
        if (draw.Frames != frames)
            throw new ArgumentException($"The draw is for {draw.Frames} frames but the features have {frames}.", nameof(draw));
        if (frames < SequenceDraw.MinimumFrames)
        {
            Log.Debug("SignCL skipped: {Frames} frames is fewer than {Minimum}", frames, SequenceDraw.MinimumFrames);
            return null;
        }
        Validate(draw);

        var normaliser = (double)batch * (frames - 4);
        return DrawLayout.SharedDraw(batch, frames, draw, anchor => averageWithinAnchor
            ? (MeanWeight(batch * anchor.Positives.Count) / normaliser, MeanWeight(batch * anchor.Negatives.Count) / normaliser)
            : (1 / normaliser, 1 / normaliser));
    }

    /// <summary>
    /// Masked layout: sequence b uses draws[b], drawn over its real length; its loss is the mean over its anchors of the
    /// anchor's loss, and the batch loss is the mean over the sequences of at least 5 frames. Returns null when none has.
    /// </summary>
    public static DrawLayout? Masked(Tensor features, IReadOnlyList<SequenceDraw?> draws, bool averageWithinAnchor)
    {
        var (batch, frames) = Shape(features);
        if (draws.Count != batch)
            throw new ArgumentException($"{draws.Count} draws for a batch of {batch} sequences.", nameof(draws));

        var usable = new SequenceDraw?[batch];
        for (var b = 0; b < batch; b++)
        {
            var draw = draws[b];
            if (draw is null || draw.Frames < SequenceDraw.MinimumFrames)
            {
                Log.Debug("SignCL skips sequence {Sequence}: {Frames} frames is fewer than {Minimum}", b, draw?.Frames ?? 0, SequenceDraw.MinimumFrames);
                continue;
            }
            if (draw.Frames > frames)
                throw new ArgumentException($"Sequence {b} has length {draw.Frames} but the features have only {frames} frames.", nameof(draws));
            Validate(draw);
            usable[b] = draw;
        }
        var count = usable.Count(d => d is not null);
        if (count == 0)
            return null;

        return DrawLayout.PerSequence(frames, usable, (b, anchor) =>
        {
            var sequenceWeight = 1.0 / count / usable[b]!.Anchors.Count;
            return averageWithinAnchor
                ? (MeanWeight(anchor.Positives.Count) * sequenceWeight, MeanWeight(anchor.Negatives.Count) * sequenceWeight)
                : (sequenceWeight, sequenceWeight);
        });
    }

    /// <summary>The weight of one term of a mean over <paramref name="count"/> terms. An empty set has no terms, so it
    /// contributes 0 (the reference's mean over an empty tensor is NaN).</summary>
    private static double MeanWeight(int count) => count == 0 ? 0 : 1.0 / count;

    private static (int Batch, int Frames) Shape(Tensor features)
    {
        if (features.dim() != 3)
            throw new ArgumentException($"SignCL expects features [B, T, D]; got {features.dim()} dimensions.", nameof(features));
        return ((int)features.shape[0], (int)features.shape[1]);
    }

    private static void Validate(SequenceDraw draw)
    {
        if (draw.Anchors.Count != draw.Frames - 3)
            throw new ArgumentException($"A draw for {draw.Frames} frames needs {draw.Frames - 3} anchors; it has {draw.Anchors.Count}.", nameof(draw));
        foreach (var anchor in draw.Anchors)
        {
            Check(anchor.Anchor);
            foreach (var p in anchor.Positives) Check(p);
            foreach (var n in anchor.Negatives) Check(n);
        }

        void Check(int frame)
        {
            if (frame < 0 || frame >= draw.Frames)
                throw new ArgumentException($"Drawn frame {frame} lies outside a sequence of {draw.Frames} frames.", nameof(draw));
        }
    }
}
