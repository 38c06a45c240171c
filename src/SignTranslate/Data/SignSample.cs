namespace SignTranslate.Data;

/// <summary>
/// One sign language video and its translation, as every dataset reader (Phoenix-2014T, CSL-Daily, manifests,
/// synthetic) produces it. Frames are not held here: <see cref="FramePaths"/> names them relative to the dataset's
/// image root, or <see cref="VideoFile"/> names a video file, or neither is set for datasets that render frames on
/// demand.
/// </summary>
public sealed record SignSample
{
    /// <summary>Sample name, e.g. <c>train/11August_2010_Wednesday_tagesschau-1</c>.</summary>
    public required string Id { get; init; }

    /// <summary>Target spoken-language sentence.</summary>
    public required string Text { get; init; }

    /// <summary>Gloss sequence (space separated), when the dataset has one. Never used for gloss-free training.</summary>
    public string? Gloss { get; init; }

    /// <summary>Number of frames of the video; 0 for a video file whose frames are not counted until it is decoded.</summary>
    public required int FrameCount { get; init; }

    /// <summary>Frame image paths relative to the image root, in temporal order; empty for video files and rendered datasets.</summary>
    public IReadOnlyList<string> FramePaths { get; init; } = [];

    /// <summary>The video file (full path, checked to lie in its dataset's folder) when the sample is one; null otherwise.</summary>
    public string? VideoFile { get; init; }

    /// <summary>The part of <see cref="VideoFile"/> the sample is.</summary>
    public Video.ClipTimes Clip { get; init; } = Video.ClipTimes.Whole;

    /// <summary>
    /// The sample's keypoint file (full path, checked to lie in its dataset's folder): an own-format
    /// <c>.safetensors</c>, a Uni-Sign <c>.pkl</c> or an OpenPose JSON folder (docs/pose.md); null when it has none.
    /// Its frames are the sample's frames.
    /// </summary>
    public string? KeypointFile { get; init; }

    /// <summary>Where the sample was read, <c>file:line</c>, for messages; null where the format has no lines.</summary>
    public string? Origin { get; init; }

    /// <summary>Who signs, when the dataset says (manifests' <c>signer</c> column).</summary>
    public string? Signer { get; init; }

    /// <summary>Frame span of every gloss, when known (synthetic data, or an alignment file). Used by the sign density ratio.</summary>
    public IReadOnlyList<GlossSpan>? GlossSpans { get; init; }
}

/// <summary>Gloss <paramref name="Gloss"/> occupies frames <c>[Start, End)</c>.</summary>
public readonly record struct GlossSpan(string Gloss, int Start, int End);
