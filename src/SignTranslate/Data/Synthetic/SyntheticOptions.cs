using SignTranslate.Config;

namespace SignTranslate.Data.Synthetic;

/// <summary>
/// Everything that shapes the built-in synthetic sign language dataset. The same options (and seed) always give the
/// same samples, frames and files. Defaults are sized so that a small model can learn the task on a CPU in minutes.
/// YAML section <c>synthetic</c>.
/// </summary>
public sealed record SyntheticOptions : IValidatableConfig
{
    /// <summary>Seed of every random choice (language, signers, samples, pixel noise). Default 20141.</summary>
    public long Seed { get; init; } = 20141;

    /// <summary>Number of training videos. Default 1000.</summary>
    public int TrainSamples { get; init; } = 1000;

    /// <summary>Number of development videos. Default 120.</summary>
    public int DevSamples { get; init; } = 120;

    /// <summary>Number of test videos. Default 120.</summary>
    public int TestSamples { get; init; } = 120;

    /// <summary>Frame width in pixels. Default 32.</summary>
    public int FrameWidth { get; init; } = 32;

    /// <summary>Frame height in pixels. Default 32.</summary>
    public int FrameHeight { get; init; } = 32;

    /// <summary>
    /// Size of the pool of distinct sentences drawn from the grammar (before splitting). Training samples reuse
    /// sentences of the pool, so this controls how often a sentence repeats. Default 400.
    /// </summary>
    public int DistinctSentences { get; init; } = 400;

    /// <summary>
    /// Fraction of the sentence pool kept out of training: dev and test draw from the whole pool, so about this
    /// fraction of their sentences are new compositions of known signs. Default 0.15.
    /// </summary>
    public double UnseenSentenceFraction { get; init; } = 0.15;

    /// <summary>Fewest frames one sign occupies (its gloss span). Default 6.</summary>
    public int MinSignFrames { get; init; } = 6;

    /// <summary>Most frames one sign occupies. Default 10.</summary>
    public int MaxSignFrames { get; init; } = 10;

    /// <summary>Fewest transition frames between two signs (in no gloss span). Default 2.</summary>
    public int MinTransitionFrames { get; init; } = 2;

    /// <summary>Most transition frames between two signs. Default 4.</summary>
    public int MaxTransitionFrames { get; init; } = 4;

    /// <summary>Most frames of the hands rising from rest before the first sign (and sinking after the last); at least 1. Default 2.</summary>
    public int MaxRestFrames { get; init; } = 2;

    /// <summary>Number of distinct signers (body colours, build, tempo, background); each video picks one. Default 8.</summary>
    public int Signers { get; init; } = 8;

    /// <summary>Signing tempo varies by a factor in [1 - v, 1 + v] between signers and videos. Default 0.2.</summary>
    public double SpeedVariation { get; init; } = 0.2;

    /// <summary>Signer size varies by a factor in [1 - v, 1 + v]. Default 0.1.</summary>
    public double SizeVariation { get; init; } = 0.1;

    /// <summary>Largest shift of the signer within the frame, as a fraction of the frame size. Default 0.06.</summary>
    public double PositionJitter { get; init; } = 0.06;

    /// <summary>Largest per-frame hand wobble, as a fraction of the frame size. Default 0.01.</summary>
    public double HandJitter { get; init; } = 0.01;

    /// <summary>Largest per-channel shift of the background colour of a video (0-255 scale). Default 30.</summary>
    public int BackgroundTintVariation { get; init; } = 30;

    /// <summary>Largest per-pixel, per-channel uniform noise (0-255 scale); 0 disables noise. Default 6.</summary>
    public int PixelNoise { get; init; } = 6;

    /// <summary>Folder (under the dataset folder) that holds the PNG frames, the <c>img_path</c> of the labels files. Default "frames".</summary>
    public string ImageFolder { get; init; } = "frames";

    /// <summary>The keypoints of every video (<c>keypoints/</c> of <c>slt synth</c>): how imperfect the simulated pose detector is.</summary>
    public SyntheticPoseOptions Pose { get; init; } = new();

    public IEnumerable<ConfigProblem> Validate()
    {
        var problems = new List<ConfigProblem>();
        void Require(bool ok, string key, string message) { if (!ok) problems.Add(new ConfigProblem(key, message)); }
        Require(TrainSamples >= 0, "train_samples", $"must be >= 0, got {TrainSamples}");
        Require(DevSamples >= 0, "dev_samples", $"must be >= 0, got {DevSamples}");
        Require(TestSamples >= 0, "test_samples", $"must be >= 0, got {TestSamples}");
        Require(TrainSamples + DevSamples + TestSamples > 0, "train_samples", "at least one split must have samples");
        Require(FrameWidth is >= 8 and <= 1024, "frame_width", $"must be in [8, 1024], got {FrameWidth}");
        Require(FrameHeight is >= 8 and <= 1024, "frame_height", $"must be in [8, 1024], got {FrameHeight}");
        Require(DistinctSentences >= 1, "distinct_sentences", $"must be >= 1, got {DistinctSentences}");
        Require(UnseenSentenceFraction is >= 0 and < 1, "unseen_sentence_fraction", $"must be in [0, 1), got {UnseenSentenceFraction}");
        Require(MinSignFrames >= 1, "min_sign_frames", $"must be >= 1, got {MinSignFrames}");
        Require(MaxSignFrames >= MinSignFrames, "max_sign_frames", $"must be >= min_sign_frames ({MinSignFrames}), got {MaxSignFrames}");
        Require(MinTransitionFrames >= 0, "min_transition_frames", $"must be >= 0, got {MinTransitionFrames}");
        Require(MaxTransitionFrames >= MinTransitionFrames, "max_transition_frames", $"must be >= min_transition_frames ({MinTransitionFrames}), got {MaxTransitionFrames}");
        Require(MaxRestFrames >= 1, "max_rest_frames", $"must be >= 1, got {MaxRestFrames}");
        Require(Signers >= 1, "signers", $"must be >= 1, got {Signers}");
        Require(SpeedVariation is >= 0 and < 1, "speed_variation", $"must be in [0, 1), got {SpeedVariation}");
        Require(SizeVariation is >= 0 and < 0.5, "size_variation", $"must be in [0, 0.5), got {SizeVariation}");
        Require(PositionJitter is >= 0 and <= 0.25, "position_jitter", $"must be in [0, 0.25], got {PositionJitter}");
        Require(HandJitter is >= 0 and <= 0.1, "hand_jitter", $"must be in [0, 0.1], got {HandJitter}");
        Require(BackgroundTintVariation is >= 0 and <= 100, "background_tint_variation", $"must be in [0, 100], got {BackgroundTintVariation}");
        Require(PixelNoise is >= 0 and <= 100, "pixel_noise", $"must be in [0, 100], got {PixelNoise}");
        Require(!string.IsNullOrWhiteSpace(ImageFolder) && ImageFolder.IndexOfAny(['/', '\\']) < 0 && ImageFolder != "." && ImageFolder != "..",
            "image_folder", $"must be a plain folder name, got '{ImageFolder}'");
        problems.AddRange(Pose.Validate().Select(p => p.Under("pose")));
        return problems;
    }

    /// <summary>Throws an <see cref="InputException"/> naming every problem of <see cref="Validate"/>.</summary>
    public void ThrowIfInvalid()
    {
        var problems = Validate().Select(p => $"synthetic.{p.Key} {p.Message}").ToList();
        if (problems.Count > 0)
            throw new InputException(string.Join("; ", problems));
    }
}
