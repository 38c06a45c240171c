using SignTranslate.Models;
using static TorchSharp.torch;

namespace SignTranslate.Decoding;

/// <summary>
/// Translation with an <see cref="SltModel"/>. Generation sits in Decoding, above the models it drives
/// (docs/architecture.md), so it is an extension here rather than a method of the model: callers still write
/// <c>model.Generate(...)</c>.
/// </summary>
public static class SltModelGeneration
{
    /// <summary>Translates a batch of videos (HF generate over inputs_embeds with the video mask).</summary>
    public static GenerationResult Generate(this SltModel model, Tensor frames, Tensor frameLengths, Tensor videoMask, GenerationOptions options) =>
        model.Generate(SignInputs.Rgb(frames), frameLengths, videoMask, options);

    /// <summary>Translates a batch of clips read as the model's input says (frames and/or keypoints).</summary>
    public static GenerationResult Generate(this SltModel model, SignInputs inputs, Tensor frameLengths, Tensor videoMask, GenerationOptions options)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (embeds, _) = model.Embed(inputs, frameLengths);
        return SequenceGenerator.Generate(model.MBart, null, videoMask, options, embeds);
    }
}
