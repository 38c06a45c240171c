using SignTranslate.Data.Video;
using SignTranslate.Files;
using static TorchSharp.torch;

namespace SignTranslate.Data;

/// <summary>A frame file is missing or cannot be decoded.</summary>
public sealed class FrameReadException(string sampleId, string path, string problem)
    : InputException($"sample '{sampleId}': frame {path}: {problem}")
{
    public string SampleId { get; } = sampleId;
    public string Path { get; } = path;
}

/// <summary>
/// One video from disk to the model's input (docs/reference.md#s2.2): frame cap, decoding, then
/// <see cref="ClipTransform"/>. Returns float32 (n, 3, CropHeight, CropWidth), n ≤ MaxFrames. A frame folder decodes
/// only the frames the cap keeps; a video file (<see cref="SignSample.VideoFile"/>) is decoded whole by FFmpeg at
/// <paramref name="video"/>'s rate and size, then capped.
/// </summary>
/// <param name="imageRoot">
/// The folder a dataset's frame paths are relative to; each must stay inside it (<see cref="PathsFromData"/>).
/// null: the frame paths are full paths the user named (<c>slt translate</c>), not names read from a data file.
/// </param>
/// <param name="video">Frame rate and decoded size of video files; null: the defaults (every frame, at the resize size).</param>
public sealed class VideoLoader(string? imageRoot, FrameOptions frames, AugmentationOptions augmentation, VideoOptions? video = null)
{
    private readonly ClipTransform _transform = new(frames, augmentation);
    private readonly VideoDecoding _decoding = DataPaths.VideoDecoding(frames, video ?? new VideoOptions());

    public Tensor Load(SignSample sample, bool training, Random rng, FrameSelection? selection = null)
    {
        var random = training || frames.EvalSampling == TemporalSampling.Random;
        if (sample.VideoFile is { } file)
        {
            using var videoScope = NewDisposeScope();
            var clip = TemporalSampler.Keep(VideoFileDecoder.Decode(file, sample.Clip, _decoding), frames.MaxFrames, random, rng, selection);
            return _transform.Apply(clip, training, rng).MoveToOuterDisposeScope();
        }
        if (sample.FramePaths.Count == 0)
            throw new FrameReadException(sample.Id, imageRoot ?? "", "the sample names no frames");
        var indices = TemporalSampler.Indices(sample.FramePaths.Count, frames.MaxFrames, random, rng);
        selection?.Record(sample.FramePaths.Count, indices);
        using var scope = NewDisposeScope();
        var decoded = new Tensor[indices.Length];
        for (var i = 0; i < indices.Length; i++)
        {
            var relative = sample.FramePaths[indices[i]];
            var path = imageRoot is null ? relative : PathsFromData.Resolve(imageRoot, relative, $"sample '{sample.Id}': frame");
            var (frame, problem) = FrameDecoder.TryRead(path);
            decoded[i] = frame ?? throw new FrameReadException(sample.Id, path, problem!);
            if (i > 0 && !decoded[i].shape.SequenceEqual(decoded[0].shape))
                throw new FrameReadException(sample.Id, path,
                    $"size {decoded[i].shape[2]}x{decoded[i].shape[1]} differs from the first frame's {decoded[0].shape[2]}x{decoded[0].shape[1]}");
        }
        return _transform.Apply(stack(decoded), training, rng).MoveToOuterDisposeScope();
    }
}
