namespace SignTranslate.Data.Synthetic;

/// <summary>
/// Everything needed to render one synthetic video: its sentence, signer and the frame span of every sign. Frames
/// outside every span are transitions (the hands move from the end of one sign to the start of the next, or from and
/// to the resting position before the first and after the last sign). <see cref="RenderKey"/> seeds the per-frame
/// randomness (hand wobble, pixel noise); it comes from the sample name, so a sample renders the same whichever
/// other samples exist.
/// </summary>
public sealed record VideoPlan(
    string Name,
    SyntheticSentence Sentence,
    SignerStyle Signer,
    IReadOnlyList<GlossSpan> Spans,
    int FrameCount,
    ulong RenderKey)
{
    /// <summary>Frame paths relative to the image folder: <c>&lt;name&gt;/images0001.png</c> …, as in Phoenix-2014T.</summary>
    public IReadOnlyList<string> FramePaths() =>
        Enumerable.Range(1, FrameCount).Select(frame => $"{Name}/images{frame:D4}.png").ToArray();

    public SignSample ToSample() => new()
    {
        Id = Name,
        Text = Sentence.Text,
        Gloss = Sentence.Gloss,
        FrameCount = FrameCount,
        FramePaths = FramePaths(),
        GlossSpans = Spans,
    };
}
