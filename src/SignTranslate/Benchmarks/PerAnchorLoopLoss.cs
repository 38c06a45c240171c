using SignTranslate.Losses;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace SignTranslate.Benchmarks;

/// <summary>
/// The same losses as <see cref="SignCl"/> (both variants), written the way the reference code is: a loop over anchors
/// with small gathers per anchor. Slow (quadratic op count); the baseline of <c>slt bench signcl</c> and an independent
/// cross-check in tests (an oracle, which is why it lives beside the benchmark and not among the losses). Never used
/// for training.
/// </summary>
public static class PerAnchorLoopLoss
{
    /// <summary>Loop form of <see cref="SignCl.Reference"/>.</summary>
    public static Tensor SignClReference(Tensor features, SequenceDraw draw, double maxDistance)
    {
        var (batch, frames) = ((int)features.shape[0], (int)features.shape[1]);
        if (frames < SequenceDraw.MinimumFrames)
            return zeros([], dtype: features.dtype, device: features.device);
        return SignClAnchorSum(features, draw, maxDistance) / (batch * (frames - 4.0));
    }

    /// <summary>Loop form of <see cref="SignCl.Masked"/>.</summary>
    public static Tensor SignClMasked(Tensor features, IReadOnlyList<SequenceDraw?> draws, double maxDistance) =>
        MeanOverSequences(features, draws, (sequence, draw) => SignClAnchorSum(sequence, draw, maxDistance) / draw.Anchors.Count);

    /// <summary>Loop form of <see cref="SignCl.InfoNceReference"/>.</summary>
    public static Tensor InfoNceReference(Tensor features, SequenceDraw draw, double temperature)
    {
        var (batch, frames) = ((int)features.shape[0], (int)features.shape[1]);
        if (frames < SequenceDraw.MinimumFrames)
            return zeros([], dtype: features.dtype, device: features.device);
        return InfoNceAnchorSum(features, draw, temperature) / (batch * (frames - 4.0));
    }

    /// <summary>Loop form of <see cref="SignCl.InfoNceMasked"/>.</summary>
    public static Tensor InfoNceMasked(Tensor features, IReadOnlyList<SequenceDraw?> draws, double temperature) =>
        MeanOverSequences(features, draws, (sequence, draw) => InfoNceAnchorSum(sequence, draw, temperature) / draw.Anchors.Count);

    private static Tensor SignClAnchorSum(Tensor features, SequenceDraw draw, double maxDistance)
    {
        var total = zeros([], dtype: features.dtype, device: features.device);
        foreach (var a in draw.Anchors)
        {
            var anchor = features[.., a.Anchor, ..].unsqueeze(1);                       // [B, 1, D]
            if (a.Positives.Count > 0)
            {
                var positives = features.index_select(1, Indices(a.Positives, features)); // [B, P, D]
                var distance = (anchor - positives).abs().sum(-1);                        // [B, P]
                total = total + F.softplus(distance - maxDistance).mean();
            }
            if (a.Negatives.Count > 0)
            {
                var negatives = features.index_select(1, Indices(a.Negatives, features)); // [B, N, D]
                var distance = (anchor - negatives).abs().sum(-1);                        // [B, N]
                total = total + F.softplus(maxDistance - distance).mean();
            }
        }
        return total;
    }

    private static Tensor InfoNceAnchorSum(Tensor features, SequenceDraw draw, double temperature)
    {
        var total = zeros([], dtype: features.dtype, device: features.device);
        foreach (var a in draw.Anchors)
        {
            if (a.Positives.Count == 0)
                continue;
            var anchor = features[.., a.Anchor, ..];                                          // [B, D]
            var samples = features.index_select(1, Indices([.. a.Positives, .. a.Negatives], features)); // [B, S, D]
            var logits = bmm(samples, anchor.unsqueeze(2)).squeeze(2) / temperature;        // [B, S]
            var logProbabilities = logits.log_softmax(-1);
            total = total - logProbabilities[.., ..a.Positives.Count].sum();
        }
        return total;
    }

    private static Tensor MeanOverSequences(Tensor features, IReadOnlyList<SequenceDraw?> draws, Func<Tensor, SequenceDraw, Tensor> sequenceLoss)
    {
        var total = zeros([], dtype: features.dtype, device: features.device);
        var used = 0;
        for (var b = 0; b < draws.Count; b++)
        {
            var draw = draws[b];
            if (draw is null || draw.Frames < SequenceDraw.MinimumFrames)
                continue;
            var sequence = features.narrow(0, b, 1).narrow(1, 0, draw.Frames);                // [1, T_b, D]
            total = total + sequenceLoss(sequence, draw);
            used++;
        }
        return used == 0 ? total : total / used;
    }

    private static Tensor Indices(IReadOnlyList<int> frames, Tensor like) =>
        tensor(frames.Select(f => (long)f).ToArray(), dtype: ScalarType.Int64, device: like.device);
}
