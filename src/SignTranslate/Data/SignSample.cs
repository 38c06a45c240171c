namespace SignTranslate.Data;

/// <summary>
/// One sign language video and its translation, as every dataset reader (Phoenix-2014T, CSL-Daily, synthetic)
/// produces it. Frames are not held here: <see cref="FramePaths"/> names them relative to the dataset's image root,
/// or is empty for datasets that render frames on demand.
/// </summary>
public sealed record SignSample
{
    /// <summary>Sample name, e.g. <c>train/11August_2010_Wednesday_tagesschau-1</c>.</summary>
    public required string Id { get; init; }

    /// <summary>Target spoken-language sentence.</summary>
    public required string Text { get; init; }

    /// <summary>Gloss sequence (space separated), when the dataset has one. Never used for gloss-free training.</summary>
    public string? Gloss { get; init; }

    /// <summary>Number of frames of the video.</summary>
    public required int FrameCount { get; init; }

    /// <summary>Frame image paths relative to the image root, in temporal order; empty for rendered datasets.</summary>
    public IReadOnlyList<string> FramePaths { get; init; } = [];

    /// <summary>Frame span of every gloss, when known (synthetic data, or an alignment file). Used by the sign density ratio.</summary>
    public IReadOnlyList<GlossSpan>? GlossSpans { get; init; }
}

/// <summary>Gloss <paramref name="Gloss"/> occupies frames <c>[Start, End)</c>.</summary>
public readonly record struct GlossSpan(string Gloss, int Start, int End);
