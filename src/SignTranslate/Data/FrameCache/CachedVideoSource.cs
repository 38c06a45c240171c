using static TorchSharp.torch;

namespace SignTranslate.Data.FrameCache;

/// <summary>
/// Clips from the frame cache instead of the dataset's files, prepared as <see cref="VideoLoader"/> prepares them
/// (the same frame selection and <see cref="ClipTransform"/>, drawing the same random numbers), so a cached frame
/// folder gives the same batches as its files.
/// </summary>
/// <param name="imageRoot">As <see cref="VideoLoader"/>'s: the folder frame paths are relative to, or null for full paths.</param>
public sealed class CachedVideoSource(FrameCacheReader cache, string? imageRoot, FrameOptions frames, AugmentationOptions augmentation) : IVideoSource
{
    private readonly ClipTransform _transform = new(frames, augmentation);

    public Tensor Load(SignSample sample, bool training, Random rng, FrameSelection? selection = null)
    {
        var entry = cache.Require(sample, imageRoot);
        var random = training || frames.EvalSampling == TemporalSampling.Random;
        var keep = TemporalSampler.Indices(entry.Frames, frames.MaxFrames, random, rng);
        selection?.Record(entry.Frames, keep);
        using var scope = NewDisposeScope();
        Tensor clip;
        try
        {
            clip = cache.Read(entry, keep);
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            throw new InputException($"frame cache {cache.Folder}: sample '{sample.Id}': {e.Message}; delete the cache and {FrameCacheReader.PrepareAdvice}", e);
        }
        return _transform.Apply(clip, training, rng).MoveToOuterDisposeScope();
    }
}
