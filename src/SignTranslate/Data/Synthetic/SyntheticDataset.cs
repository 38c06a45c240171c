using SignTranslate.Data.Pose;
using SignTranslate.Files;
using SignTranslate.Randomness;
using TorchSharp;
using static TorchSharp.torch;

namespace SignTranslate.Data.Synthetic;

/// <summary>
/// The synthetic sign language dataset: sentences, signers and gloss spans for every sample of every split, and
/// the frames of any sample rendered on demand. Everything is a pure function of the options (and the annotation
/// sentences, when driven by a real labels file), so sample 917 of "train" is the same whether rendered alone, in
/// memory during training, or written to disk.
/// </summary>
public sealed class SyntheticDataset
{
    /// <summary>The split names, in writing order.</summary>
    public static IReadOnlyList<string> SplitNames { get; } = ["train", "dev", "test"];

    private readonly Dictionary<string, VideoPlan[]> _plans;
    private readonly SyntheticRenderer _renderer;
    private readonly SyntheticPose _pose;
    private readonly Lazy<Dictionary<string, (string Split, int Index)>> _where;

    private SyntheticDataset(SyntheticOptions options, SignLexicon lexicon, Dictionary<string, VideoPlan[]> plans, SentencePool? pool)
    {
        _where = new(Index);
        Options = options;
        Lexicon = lexicon;
        Pool = pool;
        _plans = plans;
        var hands = new HandTrack(options, lexicon);
        _renderer = new SyntheticRenderer(options, hands);
        _pose = new SyntheticPose(options, hands);
    }

    public SyntheticOptions Options { get; }

    public SignLexicon Lexicon { get; }

    /// <summary>The built-in language's sentence pool; null when driven by annotations.</summary>
    public SentencePool? Pool { get; }

    /// <summary>Splits that have samples, in <see cref="SplitNames"/> order.</summary>
    public IReadOnlyList<string> Splits => SplitNames.Where(s => _plans.TryGetValue(s, out var p) && p.Length > 0).ToArray();

    /// <summary>The built-in grammar: train draws from the seen part of the sentence pool, dev and test from all of it.</summary>
    public static SyntheticDataset Create(SyntheticOptions options)
    {
        options.ThrowIfInvalid();
        var pool = SentencePool.FromGrammar(options);
        var lexicon = SignLexicon.Build(SyntheticGrammar.Glosses, options);
        var counts = new Dictionary<string, int> { ["train"] = options.TrainSamples, ["dev"] = options.DevSamples, ["test"] = options.TestSamples };
        var plans = new Dictionary<string, VideoPlan[]>();
        foreach (var split in SplitNames)
        {
            var splitKey = SplitMix64.Key(split);
            plans[split] = Enumerable.Range(0, counts[split]).Select(index =>
            {
                var random = SplitMix64.For(options.Seed, SplitMix64.Key("sample"), splitKey, (ulong)index);
                var available = split == "train" ? pool.SeenCount : pool.Sentences.Count;
                var sentence = pool.Sentences[random.NextInt(0, available - 1)];
                var signer = SignerStyle.Draw(random.NextInt(0, options.Signers - 1), random, options);
                var (spans, frameCount) = VideoTimeline.Draw(sentence.Glosses, lexicon, signer.Speed, random, options);
                var name = $"{split}/synthetic-{index:D5}";
                return new VideoPlan(name, sentence, signer, spans, frameCount, SplitMix64.Key(name));
            }).ToArray();
        }
        return new SyntheticDataset(options, lexicon, plans, pool);
    }

    /// <summary>
    /// Driven by real annotations (e.g. Phoenix-2014T): their glosses become rendered signs, their texts the targets,
    /// their frame counts the video lengths. Names are kept, so frames land where the real corpus keeps them.
    /// </summary>
    public static SyntheticDataset FromAnnotations(SyntheticOptions options, IReadOnlyDictionary<string, IReadOnlyList<AnnotatedSentence>> splits)
    {
        options.ThrowIfInvalid();
        var lexicon = SignLexicon.Build(splits.Values.SelectMany(s => s).SelectMany(s => s.Glosses), options);
        var plans = new Dictionary<string, VideoPlan[]>();
        foreach (var (split, sentences) in splits)
        {
            var splitKey = SplitMix64.Key(split);
            plans[split] = sentences.Select(annotation =>
            {
                // The name becomes the folder of the sample's frames: a name like '../../x' or '/x' would write outside --out.
                if (PathsFromData.Problem(annotation.Name) is { } problem)
                    throw new InputException(
                        $"{annotation.Source}: sample '{annotation.Name}': the name {problem}; its frames are written to a folder of that name, so rename the sample");
                var spans = VideoTimeline.Fit(annotation.Glosses, lexicon, annotation.FrameCount, options)
                    ?? throw new InputException(
                        $"{annotation.Source}: sample '{annotation.Name}': {annotation.FrameCount} frames cannot hold {annotation.Glosses.Count} glosses");
                var random = SplitMix64.For(options.Seed, SplitMix64.Key("sample"), splitKey, SplitMix64.Key(annotation.Name));
                var signer = SignerStyle.Draw(random.NextInt(0, options.Signers - 1), random, options);
                var sentence = new SyntheticSentence(annotation.Glosses, annotation.Text);
                return new VideoPlan(annotation.Name, sentence, signer, spans, annotation.FrameCount, SplitMix64.Key(annotation.Name));
            }).ToArray();
        }
        return new SyntheticDataset(options, lexicon, plans, pool: null);
    }

    public IReadOnlyList<VideoPlan> Plans(string split) =>
        _plans.TryGetValue(split, out var plans) ? plans : throw new ArgumentException($"Unknown split '{split}'; expected one of {string.Join(", ", SplitNames)}.", nameof(split));

    /// <summary>The samples of a split; <see cref="SignSample.FramePaths"/> name the frames relative to the image folder.</summary>
    public IReadOnlyList<SignSample> Samples(string split) => Plans(split).Select(p => p.ToSample()).ToArray();

    /// <summary>Frames of one sample as raw bytes laid out [T, 3, H, W].</summary>
    public byte[] RenderFrames(string split, int index) => _renderer.Render(Plans(split)[index]);

    /// <summary>Frames of one sample as a uint8 tensor [T, 3, H, W].</summary>
    public Tensor RenderTensor(string split, int index)
    {
        var plan = Plans(split)[index];
        return torch.tensor(_renderer.Render(plan), [plan.FrameCount, 3, Options.FrameHeight, Options.FrameWidth], ScalarType.Byte);
    }

    /// <summary>
    /// Keypoints of one sample, [T, 133, 3] in pixels of its frames, as a pose detector would report them
    /// (<see cref="SyntheticOptions.Pose"/>); <see cref="KeypointSequence.ToTensor"/> gives the tensor.
    /// </summary>
    public KeypointSequence Keypoints(string split, int index) => _pose.Keypoints(Plans(split)[index]);

    /// <summary>Keypoints of the sample <paramref name="sample"/> names (by id), as <see cref="Keypoints(string, int)"/>.</summary>
    public KeypointSequence Keypoints(SignSample sample)
    {
        var (split, index) = Locate(sample.Id);
        return Keypoints(split, index);
    }

    /// <summary>The split and index of the sample named <paramref name="id"/>.</summary>
    public (string Split, int Index) Locate(string id) => _where.Value.TryGetValue(id, out var at)
        ? at
        : throw new ArgumentException($"sample '{id}' is not part of this synthetic dataset", nameof(id));

    private Dictionary<string, (string Split, int Index)> Index()
    {
        var where = new Dictionary<string, (string Split, int Index)>(StringComparer.Ordinal);
        foreach (var split in Splits)
        {
            var plans = Plans(split);
            for (var i = 0; i < plans.Count; i++) where[plans[i].Name] = (split, i);
        }
        return where;
    }
}

/// <summary>One sentence of a real labels file that drives the synthetic renderer.</summary>
public sealed record AnnotatedSentence(string Source, string Name, IReadOnlyList<string> Glosses, string Text, int FrameCount);
