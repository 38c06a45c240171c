using SignTranslate.Randomness;
using SignTranslate.Text;

namespace SignTranslate.Data;

/// <summary>One training or evaluation batch: videos, target text and (for pretraining) the masked text copy.</summary>
public sealed class SignBatch : IDisposable
{
    /// <summary>Sample ids, in batch order.</summary>
    public required IReadOnlyList<string> Ids { get; init; }

    /// <summary>Target sentences (raw), in batch order.</summary>
    public required IReadOnlyList<string> Texts { get; init; }

    public required VideoBatch Video { get; init; }

    /// <summary>Target ids and mask, (B, L).</summary>
    public required TextBatch Text { get; init; }

    /// <summary>Masked text copy (VLP pretraining), (B, L'); equal to <see cref="Text"/>'s content outside training.</summary>
    public TextBatch? MaskedText { get; init; }

    /// <summary>The masked sentences behind <see cref="MaskedText"/>.</summary>
    public IReadOnlyList<string>? MaskedTexts { get; init; }

    public void Dispose()
    {
        Video.Dispose();
        Text.Dispose();
        MaskedText?.Dispose();
    }
}

/// <summary>Produces a clip tensor (n, 3, H, W) for a sample: from disk (<see cref="VideoLoader"/>) or rendered.</summary>
public interface IVideoSource
{
    /// <param name="selection">When given, filled with the source frames the clip is.</param>
    TorchSharp.torch.Tensor Load(SignSample sample, bool training, Random rng, FrameSelection? selection = null);
}

/// <summary>Adapts <see cref="VideoLoader"/> to <see cref="IVideoSource"/>.</summary>
public sealed class DiskVideoSource(VideoLoader loader) : IVideoSource
{
    public TorchSharp.torch.Tensor Load(SignSample sample, bool training, Random rng, FrameSelection? selection = null) =>
        loader.Load(sample, training, rng, selection);
}

/// <summary>
/// Builds <see cref="SignBatch"/>es from a split's samples. Every batch draws its randomness (frame subset,
/// augmentation, crop, text noise) from its own seed, so a batch is the same whichever thread builds it and in
/// whatever order. <paramref name="videos"/> gives RGB clips and <paramref name="poses"/> keypoints; either may be
/// null (that stream is not read), and when both are given the keypoints take the frames the RGB clip kept.
/// </summary>
public sealed class SignBatchBuilder(
    IReadOnlyList<SignSample> samples, IVideoSource? videos, ITextTokenizer tokenizer, DataOptions options, bool training, bool withMaskedText,
    Pose.PoseLoader? poses = null)
{
    public IReadOnlyList<SignSample> Samples => samples;

    public SignBatch Build(IReadOnlyList<int> sampleIndices, int batchSeed)
    {
        var rng = new Random(batchSeed);
        var chosen = sampleIndices.Select(i => samples[i]).ToList();
        if (videos is null && poses is null) throw new InvalidOperationException("a batch needs frames or keypoints");
        var clips = new List<TorchSharp.torch.Tensor>(chosen.Count);
        var keypoints = new List<TorchSharp.torch.Tensor>(chosen.Count);
        try
        {
            var minimum = VideoLengths.MinimumFrames(options.Collation.Padding);
            foreach (var sample in chosen)
            {
                var selection = videos is not null && poses is not null ? new FrameSelection() : null;
                if (videos is not null) clips.Add(videos.Load(sample, training, rng, selection));
                if (poses is not null) keypoints.Add(poses.Load(sample, training, rng, selection));
                var frames = videos is not null ? clips[^1].shape[0] : keypoints[^1].shape[0];
                // The temporal convolution would fail deep inside the model with a kernel-size message.
                if (frames < minimum)
                    throw new InputException(
                        $"{(sample.Origin is { } origin ? origin + ": " : "")}sample '{sample.Id}': {frames} frames, fewer than the " +
                        $"{minimum} the model needs with collation.padding {options.Collation.Padding.ToString().ToLowerInvariant()}; " +
                        "remove the sample (slt data check lists such clips) or use padding: reference");
            }
            var texts = chosen.Select(s => s.Text).ToList();
            var video = VideoCollator.Collate(videos is null ? null : clips, poses is null ? null : keypoints, options.Collation.Padding);
            var maxLength = options.Tokenizer.MaxLength;
            List<string>? masked = withMaskedText
                ? texts.Select(t => training ? TextNoise.Apply(t, options.MaskedText, rng) : t).ToList()
                : null;
            return new SignBatch
            {
                Ids = chosen.Select(s => s.Id).ToList(),
                Texts = texts,
                Video = video,
                Text = TextBatchEncoder.Encode(tokenizer, texts, maxLength),
                MaskedTexts = masked,
                MaskedText = masked is null ? null : TextBatchEncoder.Encode(tokenizer, masked, maxLength),
            };
        }
        finally
        {
            foreach (var clip in clips) clip.Dispose();
            foreach (var clip in keypoints) clip.Dispose();
        }
    }
}

/// <summary>Deterministic batch order and seeds.</summary>
public static class BatchPlan
{
    /// <summary>
    /// The sample indices of each batch of an epoch: a permutation from (<paramref name="seed"/>, <paramref name="epoch"/>)
    /// when shuffling, else the dataset order.
    /// </summary>
    public static IReadOnlyList<int[]> Batches(int sampleCount, int batchSize, bool shuffle, int seed, int epoch, bool dropLast)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var order = Enumerable.Range(0, sampleCount).ToArray();
        if (shuffle) new Random(Seed(seed, epoch, SeedStreams.TrainingOrder)).Shuffle(order);
        var batches = order.Chunk(batchSize).ToList();
        if (dropLast && batches.Count > 0 && batches[^1].Length < batchSize) batches.RemoveAt(batches.Count - 1);
        return batches;
    }

    /// <summary>A well-mixed 31-bit seed for one batch, or for one of the epoch streams of <see cref="SeedStreams"/> as
    /// <paramref name="batchIndex"/> (SplitMix64 finaliser over the three inputs).</summary>
    public static int Seed(int seed, int epoch, int batchIndex)
    {
        var z = (ulong)(uint)seed * 0x9E3779B97F4A7C15UL ^ (ulong)(uint)epoch * 0xBF58476D1CE4E5B9UL ^ (ulong)(uint)batchIndex * 0x94D049BB133111EBUL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (int)(z & 0x7FFFFFFF);
    }
}
