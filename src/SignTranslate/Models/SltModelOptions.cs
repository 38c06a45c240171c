namespace SignTranslate.Models;

/// <summary>Shape of the SLT finetuning model (the reference <c>gloss_free_model</c>).</summary>
public sealed record SltModelOptions
{
    /// <summary>Frame encoder and TemporalConv settings. Default: ResNet-18, TemporalConv 512→1024, zero feature padding.</summary>
    public VisualBackboneOptions Visual { get; init; } = VisualBackboneOptions.Default;

    /// <summary>The translation mBART. Default <see cref="MBartOptions.Mytran"/> (decoder type LD, 3+3 layers, V 2454).</summary>
    public MBartOptions MBart { get; init; } = MBartOptions.Mytran();

    /// <summary>
    /// Multiply the projected sign features by sqrt(d_model) before the encoder. Default false: the reference config's
    /// <c>training.scale_embedding: False</c> makes the factor 1.0.
    /// </summary>
    public bool ScaleSignEmbedding { get; init; }

    /// <summary>The Phoenix-2014T SLT model with the 3+3-layer mytran mBART (115,412,544 parameters).</summary>
    public static SltModelOptions PhoenixLd { get; } = new();

    /// <summary>The SLT model with decoder type LLMD (3 encoder, 12 decoder layers; 266,582,592 parameters for V 2454).</summary>
    public static SltModelOptions PhoenixLlmd { get; } = new() { MBart = MBartOptions.Llmd() };
}
