using SignTranslate.Config;

namespace SignTranslate.Data.FrameCache;

/// <summary>
/// The frame cache (YAML <c>data.cache</c>, docs/datasets.md#frame-cache): every clip decoded once by
/// <c>slt data prepare</c>, so that training reads compressed frames from a few large files instead of running FFmpeg
/// or opening one image file per frame.
/// </summary>
public sealed record FrameCacheOptions : IValidatableConfig
{
    /// <summary>
    /// Folder of the cache, relative to the config file's folder unless absolute. Default empty: no cache, clips are
    /// decoded from the dataset's files. When set, training and evaluation read only the cache; fill it with
    /// <c>slt data prepare --config FILE</c>.
    /// </summary>
    public string Folder { get; init; } = "";

    /// <summary>JPEG quality of frames decoded from video files, 1..100. Default 95. Frame images are stored as they are (lossless).</summary>
    public int JpegQuality { get; init; } = 95;

    public IEnumerable<ConfigProblem> Validate() => new ConfigChecks()
        .Require(JpegQuality is >= 1 and <= 100, "jpeg_quality", $"must be between 1 and 100, got {JpegQuality}");
}
