namespace SignTranslate.Models;

/// <summary>Where the text encoder's sentence vector is read.</summary>
public enum TextPooling
{
    /// <summary>At the last non-pad token of each row (the language code). The corrected default (docs/reference.md#s11.23).</summary>
    LastNonPad,

    /// <summary>At argmax(input_ids), as the reference does; wrong once &lt;mask&gt; (a higher id) is in the row.</summary>
    ArgmaxId,
}

/// <summary>Shape of the VLP pretraining model (reference <c>SLRCLIP</c> + <c>Text_Decoder</c>).</summary>
public sealed record VlpModelOptions
{
    /// <summary>Frame encoder and TemporalConv. Default: ResNet-18, TemporalConv 512→1024, zero feature padding.</summary>
    public VisualBackboneOptions Visual { get; init; } = VisualBackboneOptions.Default;

    /// <summary>The visual transformer encoder (<c>model_images.trans_encoder</c>) and the masked-text decoder: mytran (3 layers, ReLU).</summary>
    public MBartOptions VisualEncoder { get; init; } = MBartOptions.Mytran();

    /// <summary>The text encoder (<c>model_txt.model_txt</c>): MBart_trimmed's 12-layer encoder.</summary>
    public MBartOptions TextEncoder { get; init; } = MBartOptions.MBartTrimmed();

    /// <summary>Sentence-vector position in the text encoder output. Default <see cref="TextPooling.LastNonPad"/>; faithful: ArgmaxId.</summary>
    public TextPooling TextPooling { get; init; } = TextPooling.LastNonPad;

    /// <summary>Initial value of the learned logit scale s (exp(s) multiplies the cosine similarities). Default ln(1/0.07).</summary>
    public double InitialLogitScale { get; init; } = Math.Log(1 / 0.07);

    /// <summary>The Phoenix-2014T VLP model (216,175,169 parameters without the text decoder).</summary>
    public static VlpModelOptions Phoenix { get; } = new();
}
