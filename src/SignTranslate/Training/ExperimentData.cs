using SignTranslate.Data;
using SignTranslate.Data.FrameCache;
using SignTranslate.Data.Pose;
using SignTranslate.Data.Synthetic;
using SignTranslate.Text;

namespace SignTranslate.Training;

/// <summary>
/// The dataset an experiment configuration names: its samples per split and where their frames come from (files on
/// disk, or the synthetic sign language rendered in memory), and where their keypoints come from when the model reads
/// them (<c>model.input</c>).
/// </summary>
public sealed class ExperimentData
{
    private readonly Func<Split, IReadOnlyList<SignSample>> _read;
    private readonly Dictionary<Split, IReadOnlyList<SignSample>> _samples = [];

    private ExperimentData(ExperimentConfig config, IVideoSource videos, PoseLoader poses, Func<Split, IReadOnlyList<SignSample>> read)
    {
        Config = config;
        Videos = config.Model.ReadsFrames ? videos : null;
        Poses = config.Model.ReadsKeypoints ? poses : null;
        _read = read;
    }

    public ExperimentConfig Config { get; }

    /// <summary>RGB clips; null when the model reads keypoints only.</summary>
    public IVideoSource? Videos { get; }

    /// <summary>Keypoints; null when the model reads RGB only.</summary>
    public PoseLoader? Poses { get; }

    public static ExperimentData Open(ExperimentConfig config)
    {
        var data = config.Data;
        if (data.Kind == DatasetKind.Synthetic)
        {
            config.Synthetic.ThrowIfInvalid();
            var dataset = SyntheticDataset.Create(config.Synthetic);
            return new ExperimentData(config, new SyntheticVideoSource(dataset, data.Frames, data.Augmentation),
                new PoseLoader(data.Pose, data.Frames, dataset.Keypoints), split => dataset.Samples(split.ToString().ToLowerInvariant()));
        }
        var imageRoot = DataPaths.FramePathRoot(data, config.BaseDirectory);
        IVideoSource videos = DataPaths.CacheFolder(data, config.BaseDirectory) is { } cache
            ? new CachedVideoSource(FrameCacheReader.Open(cache, DataPaths.VideoDecoding(data)), imageRoot, data.Frames, data.Augmentation)
            : new DiskVideoSource(new VideoLoader(imageRoot, data.Frames, data.Augmentation, data.Video));
        return new ExperimentData(config, videos, new PoseLoader(data.Pose, data.Frames), split => DatasetReader.Read(data, config.BaseDirectory, split));
    }

    /// <summary>The samples of a split (read once, then cached).</summary>
    public IReadOnlyList<SignSample> Samples(Split split)
    {
        if (!_samples.TryGetValue(split, out var samples))
        {
            samples = _read(split);
            if (samples.Count == 0)
                throw new InputException($"the {split.ToString().ToLowerInvariant()} split of the dataset is empty (data.kind {Config.Data.Kind})");
            _samples[split] = samples;
        }
        return samples;
    }

    /// <summary>The configured tokenizer; vocabularies that are learned (words, characters, tiktoken) come from the training texts.</summary>
    public ITextTokenizer CreateTokenizer()
    {
        try
        {
            return TokenizerFactory.Create(Config.Data.Tokenizer, Config.BaseDirectory, () => Samples(Split.Train).Select(s => s.Text));
        }
        catch (Exception e) when (e is FileNotFoundException or InvalidDataException)
        {
            throw new InputException(e.Message, e);
        }
    }

    /// <summary>Batches of <paramref name="split"/>; training batches are augmented and carry the masked text copy when asked.</summary>
    public SignBatchBuilder Batches(Split split, ITextTokenizer tokenizer, bool training, bool withMaskedText) =>
        new(Samples(split), Videos, tokenizer, Config.Data, training, withMaskedText, Poses);
}
