using SignTranslate.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace SignTranslate.Metrics;

/// <summary>
/// Collects gloss instances (one feature vector per gloss occurrence) from the frame-level features of many videos,
/// for <see cref="SignDensityRatio"/>.
/// </summary>
public sealed class GlossInstances : IDisposable
{
    private readonly SignDensityOptions _options;
    private readonly List<Tensor> _blocks = [];
    private readonly List<string> _glosses = [];

    public GlossInstances(SignDensityOptions options)
    {
        if (options.FrameStride < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.FrameStride, "frame_stride must be at least 1");
        _options = options;
    }

    /// <summary>Number of instances collected so far.</summary>
    public int Count => _glosses.Count;

    /// <summary>The gloss of every instance, in the row order of <see cref="Features"/>.</summary>
    public IReadOnlyList<string> Glosses => _glosses;

    /// <summary>Adds one instance per span of one video whose frame-level features are <paramref name="frameFeatures"/> [T, D].</summary>
    /// <param name="sampleId">Names the video in error messages.</param>
    public void Add(string sampleId, Tensor frameFeatures, IReadOnlyList<GlossSpan> spans)
    {
        if (spans.Count == 0)
            return;
        var block = Extract(sampleId, frameFeatures, spans, _options);
        _blocks.Add(block.DetachFromDisposeScope());
        foreach (var span in spans)
            _glosses.Add(span.Gloss);
    }

    /// <summary>All instances stacked, [N, D] float64 (a new tensor owned by the caller).</summary>
    public Tensor Features() =>
        _blocks.Count == 0 ? throw new InvalidOperationException("No gloss instances were added.") : torch.cat(_blocks, 0);

    /// <summary>
    /// The instance features [K, D] float64 of one video's K spans: a [K, T'] averaging matrix times the features,
    /// so centre frames and span means come from one matrix product.
    /// </summary>
    /// <exception cref="InputException">A span is empty, negative, or starts after the last feature step.</exception>
    public static Tensor Extract(string sampleId, Tensor frameFeatures, IReadOnlyList<GlossSpan> spans, SignDensityOptions options)
    {
        if (frameFeatures.dim() != 2)
            throw new ArgumentException($"Frame features must be [T, D], got [{string.Join(", ", frameFeatures.shape)}].", nameof(frameFeatures));
        var steps = (int)frameFeatures.shape[0];
        var weights = new double[spans.Count * steps];
        for (var k = 0; k < spans.Count; k++)
        {
            var span = spans[k];
            if (span.Start < 0 || span.End <= span.Start)
                throw new InputException($"{sampleId}: gloss '{span.Gloss}' has the empty or negative frame span [{span.Start}, {span.End})");
            var first = span.Start / options.FrameStride;
            if (first >= steps)
                throw new InputException(
                    $"{sampleId}: gloss '{span.Gloss}' starts at frame {span.Start}, after the {steps} feature steps of the video (frame stride {options.FrameStride})");
            var last = Math.Min((span.End - 1) / options.FrameStride, steps - 1);
            if (options.Instances == GlossInstanceMode.Center)
            {
                var centre = span.Start + (span.End - span.Start - 1) / 2;
                weights[k * steps + Math.Min(centre / options.FrameStride, steps - 1)] = 1.0;
            }
            else
            {
                for (var step = first; step <= last; step++)
                    weights[k * steps + step] = 1.0 / (last - first + 1);
            }
        }
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var averaging = torch.tensor(weights, [spans.Count, steps], ScalarType.Float64, frameFeatures.device);
        return averaging.mm(frameFeatures.detach().to_type(ScalarType.Float64)).MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        foreach (var block in _blocks)
            block.Dispose();
        _blocks.Clear();
    }
}
