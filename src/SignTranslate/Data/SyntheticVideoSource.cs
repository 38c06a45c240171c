using SignTranslate.Data.Synthetic;
using static TorchSharp.torch;

namespace SignTranslate.Data;

/// <summary>
/// Renders synthetic videos in memory (no files) and prepares them exactly as <see cref="VideoLoader"/> prepares
/// frames read from disk: frame cap, then <see cref="ClipTransform"/>. Samples are looked up by id, so the
/// <see cref="SignSample"/>s of <see cref="SyntheticDataset.Samples"/> can go through the usual batch builder.
/// </summary>
public sealed class SyntheticVideoSource : IVideoSource
{
    private readonly SyntheticDataset _dataset;
    private readonly FrameOptions _frames;
    private readonly ClipTransform _transform;

    public SyntheticVideoSource(SyntheticDataset dataset, FrameOptions frames, AugmentationOptions augmentation)
    {
        _dataset = dataset;
        _frames = frames;
        _transform = new ClipTransform(frames, augmentation);
    }

    public Tensor Load(SignSample sample, bool training, Random rng, FrameSelection? selection = null)
    {
        var at = _dataset.Locate(sample.Id);
        using var scope = NewDisposeScope();
        var random = training || _frames.EvalSampling == TemporalSampling.Random;
        var clip = TemporalSampler.Keep(_dataset.RenderTensor(at.Split, at.Index), _frames.MaxFrames, random, rng, selection);
        return _transform.Apply(clip, training, rng).MoveToOuterDisposeScope();
    }
}
