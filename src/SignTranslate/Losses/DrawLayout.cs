using TorchSharp;
using static TorchSharp.torch;

namespace SignTranslate.Losses;

/// <summary>
/// The draws of a batch laid out as rectangular arrays, so that every anchor of every sequence is handled by the same
/// few tensor operations. Anchor a (frame a + 1) of every sequence is row a; its columns are its positives, then its
/// negatives, then padding (the anchor frame itself, weight 0). A term's weight is its share of the final sum.
/// When the whole batch shares one draw (the reference computation) the index and weight arrays have one row per
/// anchor and broadcast over the batch; otherwise they have one per (sequence, anchor).
/// </summary>
internal sealed class DrawLayout
{
    private DrawLayout(int batch, int frames, int anchors, int width, bool shared, int[]? lengths = null)
    {
        _lengths = lengths;
        Batch = batch;
        Frames = frames;
        Anchors = anchors;
        Width = width;
        Shared = shared;
        var size = (shared ? 1 : batch) * anchors * width;
        SampleIndex = new long[size];
        Signs = new double[size];
        Weights = new double[size];
        IsPositive = new bool[size];
        IsSample = new bool[size];
    }

    public int Batch { get; }
    public int Frames { get; }

    /// <summary>A, the number of anchor rows: the most anchors of any sequence.</summary>
    public int Anchors { get; }

    /// <summary>S, the number of sample columns: the most positives + negatives of any anchor.</summary>
    public int Width { get; }

    /// <summary>true: one draw for the whole batch; <see cref="SampleIndex"/> holds frame indices [A·S]. false:
    /// per-sequence draws; it holds rows of the features flattened to [B·T, D], [B·A·S].</summary>
    public bool Shared { get; }

    public long[] SampleIndex { get; }

    /// <summary>+1 for a positive column, −1 for a negative or padding column.</summary>
    public double[] Signs { get; }

    public double[] Weights { get; }
    public bool[] IsPositive { get; }

    /// <summary>true for drawn samples, false for padding columns.</summary>
    public bool[] IsSample { get; }

    public bool IsEmpty => Anchors == 0 || Width == 0;

    /// <summary>Frames of each sequence that take part (per-sequence layouts only; 0 for a skipped sequence).</summary>
    private readonly int[]? _lengths;

    /// <summary>One draw shared by all <paramref name="batch"/> sequences of <paramref name="frames"/> frames; an anchor's
    /// positive and negative terms get the weights <paramref name="weightsOf"/> returns for it.</summary>
    public static DrawLayout SharedDraw(int batch, int frames, SequenceDraw draw, Func<AnchorDraw, (double Positive, double Negative)> weightsOf)
    {
        var layout = new DrawLayout(batch, frames, draw.Anchors.Count, WidthOf([draw]), shared: true);
        layout.Fill(0, 0, draw, weightsOf);
        return layout;
    }

    /// <summary>Draw b for sequence b (null: the sequence takes no part); weights per sequence and anchor.</summary>
    public static DrawLayout PerSequence(int frames, IReadOnlyList<SequenceDraw?> draws, Func<int, AnchorDraw, (double Positive, double Negative)> weightsOf)
    {
        var used = draws.OfType<SequenceDraw>().ToArray();
        var anchors = used.Length == 0 ? 0 : used.Max(d => d.Anchors.Count);
        var lengths = draws.Select(d => d?.Frames ?? 0).ToArray();
        var layout = new DrawLayout(draws.Count, frames, anchors, WidthOf(used), shared: false, lengths);
        for (var b = 0; b < draws.Count; b++)
        {
            var draw = draws[b];
            var rowOffset = b * anchors;
            if (draw is not null)
                layout.Fill(rowOffset, (long)b * frames, draw, anchor => weightsOf(b, anchor));
            for (var a = draw?.Anchors.Count ?? 0; a < anchors; a++)
                layout.Pad(rowOffset + a, (long)b * frames + a + 1, from: 0);
        }
        return layout;
    }

    /// <summary>
    /// Anchor features [B, A, D] (frames 1 .. A, a view) and their sample features [B, A, S, D] (one gather).
    /// Padding rows of short sequences are anchors of weight 0; their frames are zeroed first, so padding content
    /// (even NaN) cannot reach the loss or receive gradient.
    /// </summary>
    public (Tensor Anchors, Tensor Samples) Gather(Tensor features)
    {
        var dim = features.shape[2];
        features = WithoutPadding(features);
        var anchors = features.narrow(1, 1, Anchors);                                      // [B, A, D]
        // Row gathers on the flattened [B·T, D] are several times faster in LibTorch than index_select along dim 1.
        var samples = features.reshape(-1, dim).index_select(0, FlatIndex(features.device)); // [B·A·S, D]
        return (anchors, samples.view(Batch, Anchors, Width, dim));                         // [B, A, S, D]
    }

    /// <summary>The features with the frames past each sequence's length zeroed (per-sequence layouts only).</summary>
    public Tensor WithoutPadding(Tensor features)
    {
        if (_lengths is null || _lengths.All(length => length >= Frames))
            return features;
        var lengths = torch.tensor(_lengths.Select(length => (long)length).ToArray(), device: features.device);
        var padding = torch.arange(Frames, device: features.device).unsqueeze(0) >= lengths.unsqueeze(1); // [B, T]
        // An explicit scalar, alive until the call returns: an implicit one is unreachable while LibTorch still reads
        // it, and its finalizer can free it mid-call (seen once in the demo as a corrupt Scalar in masked_fill).
        using var zero = 0f.ToScalar();
        return features.masked_fill(padding.unsqueeze(2), zero);
    }

    /// <summary>Rows in the flattened [B·T, D] features of sample column <c>s</c> of every anchor: [S, B·A].</summary>
    public Tensor ColumnIndex(Device device) =>
        FlatIndex(device).view(Batch, Anchors, Width).permute(2, 0, 1).reshape(Width, -1);

    /// <summary>Row of every sample in the flattened [B·T, D] features: a shared draw repeats for each sequence, offset by b·T.</summary>
    private Tensor FlatIndex(Device device)
    {
        var index = torch.tensor(SampleIndex, dtype: ScalarType.Int64, device: device);
        if (!Shared) return index;                                                          // already offset by b·T
        var offsets = torch.arange(Batch, dtype: ScalarType.Int64, device: device).mul_(Frames).unsqueeze(1);
        return (offsets + index.unsqueeze(0)).view(-1);                                     // [B·A·S]
    }

    /// <summary>[1 or B, A, S] values in the features' dtype, broadcasting over the batch when the draw is shared.</summary>
    public Tensor SignsTensor(Tensor like) => Values(Signs, like);
    public Tensor WeightsTensor(Tensor like) => Values(Weights, like);
    public Tensor IsPositiveTensor(Tensor like) => torch.tensor(IsPositive, device: like.device).view(RowShape);
    public Tensor IsSampleTensor(Tensor like) => torch.tensor(IsSample, device: like.device).view(RowShape);

    private long[] RowShape => [Shared ? 1 : Batch, Anchors, Width];

    private Tensor Values(double[] values, Tensor like) =>
        torch.tensor(values, dtype: like.dtype, device: like.device).view(RowShape);

    private static int WidthOf(IEnumerable<SequenceDraw> draws) =>
        draws.SelectMany(d => d.Anchors).Select(a => a.Positives.Count + a.Negatives.Count).DefaultIfEmpty(0).Max();

    private void Fill(int rowOffset, long indexOffset, SequenceDraw draw, Func<AnchorDraw, (double Positive, double Negative)> weightsOf)
    {
        for (var a = 0; a < draw.Anchors.Count; a++)
        {
            var anchor = draw.Anchors[a];
            if (anchor.Anchor != a + 1)
                throw new ArgumentException($"Anchor {a} of the draw is frame {anchor.Anchor}; anchors must be frames 1, 2, … in order.", nameof(draw));
            var (positiveWeight, negativeWeight) = weightsOf(anchor);
            var column = (rowOffset + a) * Width;
            foreach (var p in anchor.Positives)
                Set(column++, indexOffset + p, +1, positiveWeight, positive: true, sample: true);
            foreach (var n in anchor.Negatives)
                Set(column++, indexOffset + n, -1, negativeWeight, positive: false, sample: true);
            Pad(rowOffset + a, indexOffset + anchor.Anchor, from: anchor.Positives.Count + anchor.Negatives.Count);
        }
    }

    private void Pad(int row, long anchorIndex, int from)
    {
        for (var column = row * Width + from; column < (row + 1) * Width; column++)
            Set(column, anchorIndex, -1, 0, positive: false, sample: false);
    }

    private void Set(int column, long sampleIndex, double sign, double weight, bool positive, bool sample)
    {
        SampleIndex[column] = sampleIndex;
        Signs[column] = sign;
        Weights[column] = weight;
        IsPositive[column] = positive;
        IsSample[column] = sample;
    }
}
