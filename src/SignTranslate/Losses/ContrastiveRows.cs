using TorchSharp;
using static TorchSharp.torch;

namespace SignTranslate.Losses;

/// <summary>One anchor of one sequence, with the weight each of its positive and negative terms gets in the sum.</summary>
internal readonly record struct ContrastiveRow(int Sequence, AnchorDraw Draw, double PositiveWeight, double NegativeWeight);

/// <summary>
/// Flattens the per-anchor draws of a batch into rectangular index and weight arrays, so that every anchor of every
/// sequence is handled by the same few tensor operations. Row r holds one anchor; its columns are the anchor's
/// positives, then its negatives, then padding (which points at the anchor itself and has weight 0).
/// Indices are rows of the features flattened to [B·T, D].
/// </summary>
internal sealed class ContrastiveRows
{
    private ContrastiveRows(int count, int width)
    {
        Count = count;
        Width = width;
        AnchorRows = new long[count];
        SampleRows = new long[count * width];
        Signs = new double[count * width];
        Weights = new double[count * width];
        IsPositive = new bool[count * width];
        IsSample = new bool[count * width];
    }

    /// <summary>M, the number of anchor rows.</summary>
    public int Count { get; }

    /// <summary>S, the number of sample columns per row (the most positives + negatives of any anchor).</summary>
    public int Width { get; }

    public long[] AnchorRows { get; }
    public long[] SampleRows { get; }

    /// <summary>+1 for a positive column, −1 for a negative or padding column.</summary>
    public double[] Signs { get; }

    public double[] Weights { get; }
    public bool[] IsPositive { get; }

    /// <summary>true for real samples, false for padding columns.</summary>
    public bool[] IsSample { get; }

    public static ContrastiveRows Build(IReadOnlyList<ContrastiveRow> rows, int batch, int frames)
    {
        var width = 0;
        foreach (var row in rows)
            width = Math.Max(width, row.Draw.Positives.Count + row.Draw.Negatives.Count);

        var result = new ContrastiveRows(rows.Count, width);
        for (var r = 0; r < rows.Count; r++)
        {
            var (sequence, draw, positiveWeight, negativeWeight) = rows[r];
            if (sequence < 0 || sequence >= batch)
                throw new ArgumentOutOfRangeException(nameof(rows), $"sequence {sequence} outside a batch of {batch}");
            var offset = (long)sequence * frames;
            var anchorRow = offset + CheckedFrame(draw.Anchor, frames);
            result.AnchorRows[r] = anchorRow;

            var column = r * width;
            foreach (var p in draw.Positives)
                result.Set(column++, offset + CheckedFrame(p, frames), +1, positiveWeight, positive: true, sample: true);
            foreach (var n in draw.Negatives)
                result.Set(column++, offset + CheckedFrame(n, frames), -1, negativeWeight, positive: false, sample: true);
            for (; column < (r + 1) * width; column++)
                result.Set(column, anchorRow, -1, 0, positive: false, sample: false);
        }
        return result;
    }

    /// <summary>The anchor features [M, D] and their sample features [M, S, D], gathered from [B, T, D] features.</summary>
    public (Tensor Anchors, Tensor Samples) Gather(Tensor features)
    {
        var dim = features.shape[2];
        var flat = features.reshape(-1, dim);                                   // [B·T, D]
        var anchors = flat.index_select(0, Index(AnchorRows, features.device));  // [M, D]
        var samples = flat.index_select(0, Index(SampleRows, features.device))   // [M·S, D]
            .view(Count, Width, dim);                                          // [M, S, D]
        return (anchors, samples);
    }

    public Tensor SignsTensor(Tensor like) => Values(Signs, like);
    public Tensor WeightsTensor(Tensor like) => Values(Weights, like);
    public Tensor IsPositiveTensor(Tensor like) => torch.tensor(IsPositive, device: like.device).view(Count, Width);
    public Tensor IsSampleTensor(Tensor like) => torch.tensor(IsSample, device: like.device).view(Count, Width);

    private Tensor Values(double[] values, Tensor like) =>
        torch.tensor(values, dtype: like.dtype, device: like.device).view(Count, Width);

    private static Tensor Index(long[] rows, Device device) => torch.tensor(rows, dtype: ScalarType.Int64, device: device);

    private void Set(int column, long sampleRow, double sign, double weight, bool positive, bool sample)
    {
        SampleRows[column] = sampleRow;
        Signs[column] = sign;
        Weights[column] = weight;
        IsPositive[column] = positive;
        IsSample[column] = sample;
    }

    private static int CheckedFrame(int frame, int frames) =>
        frame >= 0 && frame < frames
            ? frame
            : throw new ArgumentOutOfRangeException(nameof(frame), frame, $"drawn frame outside a sequence of {frames} frames");
}
