using SignTranslate.Data;
using SignTranslate.Metrics;
using SignTranslate.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace SignTranslate.Training;

/// <summary>Which tensor of the visual side the sign density ratio is measured on (docs/reference.md#s8).</summary>
public enum DensityFeatures
{
    /// <summary>The per-frame frame-encoder features (B, T, F): the tensor SignCL acts on (docs/reference.md#s6.1).</summary>
    Frame,

    /// <summary>The TemporalConv output (B, T', H), one step per 4 frames; spans are mapped to the steps centred on them.</summary>
    Temporal,
}

/// <summary>The gloss instances of a split and how many videos contributed.</summary>
public sealed record SplitGlossInstanceCount(int Videos, int VideosWithoutSpans);

/// <summary>
/// Runs the visual side of a translation model over the videos of a split that have gloss spans and collects one
/// instance per span (<see cref="GlossInstances"/>) for the sign density ratio.
/// </summary>
public static class SplitGlossInstances
{
    /// <param name="spansOf">The gloss spans of a sample in original frame indices, or null when it has none.</param>
    /// <param name="instances">Receives the instances; its options must use frame stride 1 (this maps strides itself).</param>
    public static SplitGlossInstanceCount Collect(
        SltModel model, SignBatchBuilder builder, Func<SignSample, IReadOnlyList<GlossSpan>?> spansOf, GlossInstances instances,
        DensityFeatures features, int maxFrames, int batchSize, int seed, Device device, CancellationToken cancel = default)
    {
        var samples = builder.Samples;
        var withSpans = Enumerable.Range(0, samples.Count).Where(i => spansOf(samples[i]) is { Count: > 0 }).ToArray();
        if (withSpans.Length == 0)
            throw new InputException("no video of the split has gloss spans (an alignment file gives them for real data: --alignment FILE)");
        var batches = withSpans.Chunk(batchSize).ToList();
        using var noGrad = torch.no_grad();
        for (var b = 0; b < batches.Count; b++)
        {
            cancel.ThrowIfCancellationRequested();
            using var scope = torch.NewDisposeScope();
            using var batch = builder.Build(batches[b], BatchPlan.Seed(seed, 0, b));
            var visual = model.Backbone.forward(batch.Video.Inputs(device), batch.Video.Lengths.to(device));
            for (var i = 0; i < batches[b].Length; i++)
            {
                var sample = samples[batches[b][i]];
                var kept = batch.Video.FrameCounts[i];
                var spans = KeptFrameSpans(spansOf(sample)!, sample.FrameCount, maxFrames);
                var sequence = features == DensityFeatures.Frame
                    ? visual.FrameFeatures[i].narrow(0, batch.Video.LeadingPadding, kept)
                    : visual.Features[i].narrow(0, 0, batch.Video.ConvLengths[i]);
                if (features == DensityFeatures.Temporal)
                    spans = TemporalSpans(spans, batch.Video.LeadingPadding, batch.Video.ConvLengths[i]);
                instances.Add(sample.Id, sequence.cpu(), spans);
            }
        }
        return new SplitGlossInstanceCount(withSpans.Length, samples.Count - withSpans.Length);
    }

    /// <summary>
    /// Spans over (kept) frames → spans over TemporalConv steps. Step j sees the padded frames [4j, 4j + 15]
    /// (K5, P2, K5, P2), centred on padded frame 4j + 7.5; a frame maps to the step whose centre is nearest, clamped
    /// to the video's steps.
    /// </summary>
    public static IReadOnlyList<GlossSpan> TemporalSpans(IReadOnlyList<GlossSpan> spans, int leadingPadding, int steps)
    {
        if (steps < 1)
            throw new InputException("a video is too short for the TemporalConv to produce any step; use --features frame");
        int Step(int frame) => Math.Clamp((int)Math.Round((frame + leadingPadding - 7.5) / 4, MidpointRounding.AwayFromZero), 0, steps - 1);
        return spans.Select(span => new GlossSpan(span.Gloss, Step(span.Start), Step(span.End - 1) + 1)).ToList();
    }

    /// <summary>
    /// Spans in original frame indices → spans over the frames kept under the frame cap (the deterministic uniform
    /// stride of evaluation): each span covers the kept frames inside it, or the nearest kept frame when it falls
    /// between two.
    /// </summary>
    public static IReadOnlyList<GlossSpan> KeptFrameSpans(IReadOnlyList<GlossSpan> spans, int frameCount, int maxFrames)
    {
        if (frameCount <= maxFrames) return spans;
        var kept = TemporalSampler.Indices(frameCount, maxFrames, random: false, new Random(0));
        return spans.Select(span =>
        {
            var first = Array.FindIndex(kept, f => f >= span.Start);
            var last = Array.FindLastIndex(kept, f => f < span.End);
            if (first < 0) first = kept.Length - 1;
            if (last < first) last = first;
            return new GlossSpan(span.Gloss, first, last + 1);
        }).ToList();
    }
}
