using TorchSharp;
using static TorchSharp.torch;

namespace SignTranslate.Data.Synthetic;

/// <summary>
/// Feeds training from memory: renders a synthetic sample's frames on demand and applies the same frame cap and
/// <see cref="ClipTransform"/> as <see cref="VideoLoader"/>, drawing from the random generator in the same order,
/// so a batch is identical whether its videos come from here or from the PNG files <c>slt synth</c> wrote.
/// </summary>
public sealed class SyntheticVideoSource : IVideoSource
{
    private readonly SyntheticDataset _dataset;
    private readonly FrameOptions _frames;
    private readonly ClipTransform _transform;
    private readonly Dictionary<string, (string Split, int Index)> _locations = new(StringComparer.Ordinal);

    public SyntheticVideoSource(SyntheticDataset dataset, FrameOptions frames, AugmentationOptions augmentation)
    {
        _dataset = dataset;
        _frames = frames;
        _transform = new ClipTransform(frames, augmentation);
        foreach (var split in dataset.Splits)
            for (var index = 0; index < dataset.Plans(split).Count; index++)
                _locations[dataset.Plans(split)[index].Name] = (split, index);
    }

    /// <summary>Float32 clip (n, 3, CropHeight, CropWidth), n ≤ MaxFrames, like <see cref="VideoLoader.Load"/>.</summary>
    public Tensor Load(SignSample sample, bool training, Random rng)
    {
        if (!_locations.TryGetValue(sample.Id, out var location))
            throw new InputException($"sample '{sample.Id}': not a sample of this synthetic dataset");
        var random = training || _frames.EvalSampling == TemporalSampling.Random;
        var indices = TemporalSampler.Indices(sample.FrameCount, _frames.MaxFrames, random, rng);
        using var scope = NewDisposeScope();
        var video = _dataset.RenderTensor(location.Split, location.Index);
        var clip = video.index_select(0, torch.tensor(indices.Select(i => (long)i).ToArray()));
        return _transform.Apply(clip, training, rng).MoveToOuterDisposeScope();
    }
}
