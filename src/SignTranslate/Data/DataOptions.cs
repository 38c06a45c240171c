using SignTranslate.Config;
using SignTranslate.Text;

namespace SignTranslate.Data;

/// <summary>Where samples come from.</summary>
public enum DatasetKind
{
    /// <summary>GFSLT-VLP labels files (gzip pickle), Phoenix-2014T, CSL-Daily and synthetic datasets written to disk.</summary>
    Labels,

    /// <summary>The official Phoenix-2014T corpus CSV files (<c>name|video|start|end|speaker|orth|translation</c>).</summary>
    PhoenixCsv,

    /// <summary>The official CSL-Daily release: <c>csl2020ct_v2.pkl</c> plus the <see cref="DataOptions.SplitList"/> file.</summary>
    CslDaily,

    /// <summary>The built-in synthetic sign language, generated in memory.</summary>
    Synthetic,

    /// <summary>
    /// A corpus manifest per split: a TSV or CSV file with columns <c>id</c>, <c>video</c> (a video file or a folder of
    /// frames, relative to the manifest), optional <c>start</c>/<c>end</c> seconds, <c>text</c>, optional
    /// <c>signer</c>, <c>gloss</c> and <c>gloss_spans</c> (docs/datasets.md#manifests).
    /// </summary>
    Manifest,
}

/// <summary>Dataset splits.</summary>
public enum Split { Train, Dev, Test }

/// <summary>Annotation file of each split, relative to <see cref="DataOptions.Root"/> unless absolute.</summary>
public sealed record SplitFiles : IValidatableConfig
{
    /// <summary>Training annotations; not empty. Default <c>labels.train</c>.</summary>
    public string Train { get; init; } = "labels.train";

    /// <summary>Development annotations; not empty. Default <c>labels.dev</c>.</summary>
    public string Dev { get; init; } = "labels.dev";

    /// <summary>Test annotations; not empty. Default <c>labels.test</c>.</summary>
    public string Test { get; init; } = "labels.test";

    public string For(Split split) => split switch
    {
        Split.Train => Train,
        Split.Dev => Dev,
        Split.Test => Test,
        _ => throw new ArgumentOutOfRangeException(nameof(split), split, null),
    };

    // An empty file name would resolve to the data root folder itself and fail later as an unreadable "file".
    public IEnumerable<ConfigProblem> Validate() => new ConfigChecks()
        .NotEmpty("train", Train)
        .NotEmpty("dev", Dev)
        .NotEmpty("test", Test);
}

/// <summary>How evaluation picks frames from a video longer than <see cref="FrameOptions.MaxFrames"/>.</summary>
public enum TemporalSampling
{
    /// <summary>Deterministic uniform stride (default; docs/reference.md#s11.19 fix).</summary>
    Uniform,

    /// <summary>A random sorted subset, as in training: the reference's behaviour at dev/test time (faithful).</summary>
    Random,
}

/// <summary>Frame decoding, temporal cap, resize, crop and normalisation (docs/reference.md#s2.2).</summary>
public sealed record FrameOptions : IValidatableConfig
{
    /// <summary>Longest clip in frames (at least 1); longer videos keep this many frames. Default 300 (the reference's max_length).</summary>
    public int MaxFrames { get; init; } = 300;

    /// <summary>Frame selection for long videos at dev/test time. Default <c>uniform</c>; <c>random</c> reproduces the reference.</summary>
    public TemporalSampling EvalSampling { get; init; } = TemporalSampling.Uniform;

    /// <summary>Height every frame is resized to before cropping (aspect ratio not kept); at least 1. Default 256.</summary>
    public int ResizeHeight { get; init; } = 256;

    /// <summary>Width every frame is resized to before cropping; at least 1. Default 256.</summary>
    public int ResizeWidth { get; init; } = 256;

    /// <summary>Crop height fed to the model, in [1, resize_height]: random offset in training, centred in evaluation. Default 224.</summary>
    public int CropHeight { get; init; } = 224;

    /// <summary>Crop width fed to the model, in [1, resize_width]. Default 224.</summary>
    public int CropWidth { get; init; } = 224;

    /// <summary>Per-channel mean subtracted after scaling to [0,1]: 3 finite values. Default the ImageNet mean (0.485, 0.456, 0.406).</summary>
    public double[] Mean { get; init; } = [0.485, 0.456, 0.406];

    /// <summary>Per-channel standard deviation divided by: 3 finite values &gt; 0. Default the ImageNet std (0.229, 0.224, 0.225).</summary>
    public double[] Std { get; init; } = [0.229, 0.224, 0.225];

    public IEnumerable<ConfigProblem> Validate()
    {
        var checks = new ConfigChecks()
            .Require(MaxFrames >= 1, "max_frames", $"must be at least 1, got {MaxFrames}")
            .Defined("eval_sampling", EvalSampling)
            .AtLeast("resize_height", ResizeHeight, 1)
            .AtLeast("resize_width", ResizeWidth, 1)
            .Require(CropHeight >= 1 && CropHeight <= ResizeHeight, "crop_height", $"must be between 1 and resize_height ({ResizeHeight}), got {CropHeight}")
            .Require(CropWidth >= 1 && CropWidth <= ResizeWidth, "crop_width", $"must be between 1 and resize_width ({ResizeWidth}), got {CropWidth}")
            .Require(Mean.Length == 3, "mean", $"must have 3 values (R, G, B), got {Mean.Length}")
            // The pixels are divided by std: 0, a negative value, NaN or ∞ would make every input NaN, 0 or sign-flipped.
            .Require(Std.Length == 3 && Std.All(v => double.IsFinite(v) && v > 0), "std",
                $"must have 3 positive values (R, G, B), got [{string.Join(", ", Std.Select(ConfigChecks.Show))}]");
        for (var i = 0; i < Mean.Length; i++)
            checks.Finite($"mean[{i}]", Mean[i]);
        return checks;
    }
}

/// <summary>How clips are taken from video files (docs/datasets.md#video-files).</summary>
public sealed record VideoOptions : IValidatableConfig
{
    /// <summary>
    /// Frame rate clips are decoded at, frames per second (&gt; 0), or 0: every frame the file stores. Default 0.
    /// The datasets' own rates are 25 (Phoenix-2014T) and 30 (CSL-Daily).
    /// </summary>
    public double Fps { get; init; }

    /// <summary>Height frames are decoded at (bicubic), at least 0; 0 means <c>frames.resize_height</c>. Default 0.</summary>
    public int Height { get; init; }

    /// <summary>Width frames are decoded at, at least 0; 0 means <c>frames.resize_width</c>. Default 0.</summary>
    public int Width { get; init; }

    public IEnumerable<ConfigProblem> Validate() => new ConfigChecks()
        .Require(double.IsFinite(Fps) && Fps >= 0, "fps", $"must be 0 (the video's own frames) or a positive frame rate, got {ConfigChecks.Show(Fps)}")
        .Require(Height >= 0, "height", $"must be 0 (frames.resize_height) or a size in pixels, got {Height}")
        .Require(Width >= 0, "width", $"must be 0 (frames.resize_width) or a size in pixels, got {Width}");
}

/// <summary>
/// Clip-level training augmentations (docs/reference.md#s2.2 step 4): each applied with its probability, with one
/// parameter set for every frame of the clip. The reference's colour augmentations are defined but never applied,
/// so there are none here; its rescale has no geometric effect (the resize follows) and only blurs
/// (docs/reference.md#s11.20).
/// </summary>
public sealed record AugmentationOptions : IValidatableConfig
{
    /// <summary>Augment training clips at all. Default true (the reference). Dev/test clips are never augmented.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Probability of rotating the clip, in [0, 1]. Default 0.5.</summary>
    public double RotateProbability { get; init; } = 0.5;

    /// <summary>Largest rotation in degrees, in [0, 180]; the angle is uniform in [-this, this]; nearest neighbour, black corners. Default 30.</summary>
    public double MaxRotationDegrees { get; init; } = 30;

    /// <summary>Probability of rescaling the clip (bilinear), in [0, 1]. Default 0.5.</summary>
    public double RescaleProbability { get; init; } = 0.5;

    /// <summary>Smallest rescale factor; &gt; 0 and at most max_rescale. Default 0.8.</summary>
    public double MinRescale { get; init; } = 0.8;

    /// <summary>Largest rescale factor; finite. Default 1.2.</summary>
    public double MaxRescale { get; init; } = 1.2;

    /// <summary>Probability of translating the clip, in [0, 1]. Default 0.5.</summary>
    public double TranslateProbability { get; init; } = 0.5;

    /// <summary>Largest shift in pixels (at the stored frame size), at least 0; dx, dy are integers uniform in [-this, this], black fill. Default 10.</summary>
    public int MaxTranslationPixels { get; init; } = 10;

    public IEnumerable<ConfigProblem> Validate()
    {
        var checks = new ConfigChecks();
        foreach (var (key, p) in new[]
                 {
                     ("rotate_probability", RotateProbability),
                     ("rescale_probability", RescaleProbability),
                     ("translate_probability", TranslateProbability),
                 })
            checks.Require(p is >= 0 and <= 1, key, $"must be between 0 and 1, found {p}");
        // The angle is uniform in [-max, max]: beyond 180 degrees a rotation repeats one already in range.
        checks.InRange("max_rotation_degrees", MaxRotationDegrees, 0, 180)
            .Require(MinRescale > 0 && MaxRescale >= MinRescale, "min_rescale",
                $"must be positive and not above max_rescale ({ConfigChecks.Show(MaxRescale)}), got {ConfigChecks.Show(MinRescale)}")
            .Finite("max_rescale", MaxRescale)
            .Require(MaxTranslationPixels >= 0, "max_translation_pixels", $"must not be negative, got {MaxTranslationPixels}");
        return checks;
    }
}

/// <summary>How a batch's videos are padded in time before the temporal convolution (docs/reference.md#s2.3).</summary>
public enum PaddingScheme
{
    /// <summary>8 leading copies of the first frame, trailing copies of the last up to 4·⌈n/4⌉+16 frames (default, the reference).</summary>
    Reference,

    /// <summary>No replicated frames: each video keeps its n frames.</summary>
    None,
}

/// <summary>Batch assembly.</summary>
public sealed record CollationOptions : IValidatableConfig
{
    /// <summary>Temporal padding of each video. Default <c>reference</c>.</summary>
    public PaddingScheme Padding { get; init; } = PaddingScheme.Reference;

    public IEnumerable<ConfigProblem> Validate() => new ConfigChecks().Defined("padding", Padding);
}

/// <summary>How the masked text copy hides words (docs/reference.md#s4.6.3, the reference's <c>--noise-type</c>).</summary>
public enum TextNoiseType
{
    /// <summary>Mask the last ⌈n·u⌉ words, u ~ U(0, noise rate) (the reference's setting).</summary>
    OmitLast,

    /// <summary>Mask a random ⌈n·u⌉ words anywhere in the sentence.</summary>
    Omit,
}

/// <summary>The masked text copy used by VLP pretraining (docs/reference.md#s4.6.3); training batches only.</summary>
public sealed record MaskedTextOptions : IValidatableConfig
{
    /// <summary>Upper bound of the per-sentence masking rate u ~ U(0, this), in [0, 1]. Default 0.15.</summary>
    public double NoiseRate { get; init; } = 0.15;

    /// <summary>Which words are masked. Default <c>omit_last</c>.</summary>
    public TextNoiseType NoiseType { get; init; } = TextNoiseType.OmitLast;

    /// <summary>
    /// Shuffle the word list (after masking) with probability 0.5. Default false, the intent of the reference's
    /// <c>--random-shuffle False</c>; set true to match the logged runs, where <c>type=bool</c> parsing made it True
    /// (docs/reference.md#s11.3).
    /// </summary>
    public bool RandomShuffle { get; init; }

    public IEnumerable<ConfigProblem> Validate() => new ConfigChecks()
        .Require(NoiseRate is >= 0 and <= 1, "noise_rate", $"must be between 0 and 1, found {NoiseRate}")
        .Defined("noise_type", NoiseType);
}

/// <summary>Background batch preparation.</summary>
public sealed record PrefetchOptions : IValidatableConfig
{
    /// <summary>Worker threads decoding and augmenting batches, at least 0. Default 2; 0 prepares batches on the training thread.</summary>
    public int Workers { get; init; } = 2;

    /// <summary>Most batches prepared ahead of the training loop (bounds memory); at least 1. Default 4.</summary>
    public int BatchesAhead { get; init; } = 4;

    public IEnumerable<ConfigProblem> Validate() => new ConfigChecks()
        .Require(Workers >= 0, "workers", $"must not be negative, got {Workers}")
        .Require(BatchesAhead >= 1, "batches_ahead", $"must be at least 1, got {BatchesAhead}");
}

/// <summary>
/// Dataset settings (YAML <c>data</c>). Relative paths are resolved against the config file's folder; nothing
/// machine-specific has a default.
/// </summary>
public sealed record DataOptions : IValidatableConfig
{
    /// <summary>Dataset format. Default <c>labels</c>.</summary>
    public DatasetKind Kind { get; init; } = DatasetKind.Labels;

    /// <summary>Folder of the annotation files, relative to the config file's folder unless absolute. Default <c>.</c>.</summary>
    public string Root { get; init; } = ".";

    /// <summary>
    /// Annotation file of each split, relative to <see cref="Root"/>. For <c>csl_daily</c> all three name the one
    /// annotation pickle (<c>sentence_label/csl2020ct_v2.pkl</c>).
    /// </summary>
    public SplitFiles Files { get; init; } = new();

    /// <summary>
    /// <c>csl_daily</c> only: the file assigning videos to splits (<c>name|split</c> lines), relative to
    /// <see cref="Root"/>; not empty with <c>csl_daily</c>. Default <c>sentence_label/split_1.txt</c>, as in the release.
    /// </summary>
    public string SplitList { get; init; } = "sentence_label/split_1.txt";

    /// <summary>
    /// Folder the frame paths are relative to (the reference's <c>img_path</c>), relative to <see cref="Root"/> unless
    /// absolute. Default empty: <see cref="Root"/> itself. Phoenix-2014T: <c>.../features/fullFrame-210x260px</c>.
    /// </summary>
    public string ImageRoot { get; init; } = "";

    /// <summary>Frame decoding, temporal cap and geometry.</summary>
    public FrameOptions Frames { get; init; } = new();

    /// <summary>Frame rate and size of clips decoded from video files.</summary>
    public VideoOptions Video { get; init; } = new();

    /// <summary>Training augmentations.</summary>
    public AugmentationOptions Augmentation { get; init; } = new();

    /// <summary>Batch assembly.</summary>
    public CollationOptions Collation { get; init; } = new();

    /// <summary>Tokenizer. CSL-Daily: <c>kind: characters</c> (or a char-level SentencePiece model) and <c>language: zh_CN</c>.</summary>
    public TokenizerOptions Tokenizer { get; init; } = new();

    /// <summary>The masked text copy for VLP pretraining.</summary>
    public MaskedTextOptions MaskedText { get; init; } = new();

    /// <summary>Background batch preparation.</summary>
    public PrefetchOptions Prefetch { get; init; } = new();

    /// <summary>How keypoints are prepared, when the model reads them (<c>model.input: pose</c> or <c>rgb+pose</c>).</summary>
    public Pose.PoseOptions Pose { get; init; } = new();

    /// <summary>The frame cache <c>slt data prepare</c> fills; off unless its folder is set.</summary>
    public FrameCache.FrameCacheOptions Cache { get; init; } = new();

    public IEnumerable<ConfigProblem> Validate() => new ConfigChecks()
        .Defined("kind", Kind)
        .Section("files", Files)
        // Only the CSL-Daily reader reads the split list; an empty name would resolve to the root folder.
        .Require(Kind != DatasetKind.CslDaily || !string.IsNullOrWhiteSpace(SplitList), "split_list", $"must not be empty when kind is csl_daily, got '{SplitList}'")
        .Section("frames", Frames)
        .Section("video", Video)
        .Section("augmentation", Augmentation)
        .Section("collation", Collation)
        .Section("tokenizer", Tokenizer)
        .Section("masked_text", MaskedText)
        .Section("prefetch", Prefetch)
        .Section("pose", Pose)
        .Section("cache", Cache);
}

/// <summary>Turns the configured (possibly relative) dataset paths into absolute ones.</summary>
public static class DataPaths
{
    /// <summary>The annotation folder: <see cref="DataOptions.Root"/> against <paramref name="configFolder"/>.</summary>
    public static string Root(DataOptions options, string configFolder) => Path.GetFullPath(options.Root, configFolder);

    /// <summary>The annotation file of <paramref name="split"/>.</summary>
    public static string AnnotationFile(DataOptions options, string configFolder, Split split) =>
        Path.GetFullPath(options.Files.For(split), Root(options, configFolder));

    /// <summary>Frame rate and size of video decoding: <see cref="VideoOptions"/> with its 0 sizes replaced by the resize size.</summary>
    public static Video.VideoDecoding VideoDecoding(DataOptions options) => VideoDecoding(options.Frames, options.Video);

    /// <inheritdoc cref="VideoDecoding(DataOptions)"/>
    public static Video.VideoDecoding VideoDecoding(FrameOptions frames, VideoOptions video) => new(video.Fps,
        video.Width > 0 ? video.Width : frames.ResizeWidth,
        video.Height > 0 ? video.Height : frames.ResizeHeight);

    /// <summary>
    /// The folder the samples' frame paths are relative to, or null for manifests, whose reader names videos and
    /// frames by full paths already checked to lie in the manifest's folder.
    /// </summary>
    public static string? FramePathRoot(DataOptions options, string configFolder) =>
        options.Kind == DatasetKind.Manifest ? null : ImageRoot(options, configFolder);

    /// <summary>The frame cache's folder, or null when no cache is configured.</summary>
    public static string? CacheFolder(DataOptions options, string configFolder) =>
        options.Cache.Folder.Length == 0 ? null : Path.GetFullPath(options.Cache.Folder, configFolder);

    /// <summary>The folder frame paths are relative to.</summary>
    public static string ImageRoot(DataOptions options, string configFolder) =>
        Path.GetFullPath(options.ImageRoot.Length == 0 ? "." : options.ImageRoot, Root(options, configFolder));
}
