using SignTranslate.Config;

namespace SignTranslate.Models;

/// <summary>
/// Opt-in memory savers for training on small GPUs (<c>model.memory</c>). None changes what a step computes: outputs,
/// gradients and BatchNorm statistics are those of the plain step up to float rounding; they trade memory for time
/// (docs/models.md#memory, measured in docs/benchmarks.md#memory-savers). With a checkpointing saver on, training also
/// returns freed native memory to the system at once (a fixed glibc mmap threshold).
/// </summary>
public sealed record MemoryOptions : IValidatableConfig
{
    /// <summary>
    /// Keep only the inputs of ResNet-18's stem and of each of its eight blocks, and recompute the rest in backward (the
    /// stem a chunk of frames at a time). Roughly one more frame-CNN forward per step. Default false. ResNet-18 only.
    /// </summary>
    public bool CheckpointFrameCnn { get; init; }

    /// <summary>
    /// Keep only the input of each mBART encoder and decoder layer in training and recompute the layer in backward.
    /// Dropout draws are replayed from the CPU random state, so with active dropout this works on the CPU only.
    /// Default false.
    /// </summary>
    public bool CheckpointTransformerLayers { get; init; }

    /// <summary>
    /// Frames per pass of ResNet-18 wherever the result does not depend on it: forwards in evaluation mode (dev
    /// evaluation, <c>slt eval</c>, <c>slt translate</c>, feature extraction) and the stem of a checkpointed step. 0
    /// (default): all frames of a batch at once (a checkpointed stem then takes 16). Training batches are not split
    /// otherwise: BatchNorm's statistics span the whole batch, even with a frozen frame encoder. At least 0.
    /// </summary>
    public int FrameChunk { get; init; }

    public IEnumerable<ConfigProblem> Validate() => new ConfigChecks().AtLeast("frame_chunk", FrameChunk, 0);
}
