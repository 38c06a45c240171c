namespace SignTranslate.Losses;

/// <summary>The frame indices drawn for one anchor frame: its positives and its negatives, in draw order.</summary>
public sealed record AnchorDraw(int Anchor, IReadOnlyList<int> Positives, IReadOnlyList<int> Negatives);

/// <summary>
/// The draws for one sequence of <paramref name="Frames"/> frames: one <see cref="AnchorDraw"/> per anchor frame
/// 1 .. Frames − 3, in that order. In the reference (unmasked) computation one such draw is shared by the whole batch.
/// </summary>
public sealed record SequenceDraw(int Frames, IReadOnlyList<AnchorDraw> Anchors)
{
    /// <summary>Fewer frames than this give no loss: the reference normaliser T − 4 is not positive below it.</summary>
    public const int MinimumFrames = 5;

    /// <summary>Anchor frames 1 .. frames − 3 of a sequence (none when frames &lt; 4).</summary>
    public static IEnumerable<int> AnchorFrames(int frames) => Enumerable.Range(1, Math.Max(0, frames - 3));
}
