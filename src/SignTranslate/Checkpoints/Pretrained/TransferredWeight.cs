using static TorchSharp.torch;

namespace SignTranslate.Checkpoints.Pretrained;

/// <summary>
/// One entry of the state dict that initialises a model: the target key, where the tensor came from (in the
/// notation of the reference vectors: <c>vlp:model:K</c>, <c>vlp:text_decoder:K</c>, <c>transformer_bin:K</c>) and
/// the tensor.
/// </summary>
public sealed record TransferredWeight(string TargetKey, string Source, Tensor Value);
