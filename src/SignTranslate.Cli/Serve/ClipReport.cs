using SignTranslate.Training;

namespace SignTranslate.Cli.Serve;

/// <summary>What <c>/api/translate</c> and the page show for one clip (serialised in snake_case).</summary>
public sealed record ClipReport(
    string Clip, string Text, IReadOnlyList<TokenReport> Tokens, double EndProbability, int Frames, int EncoderSteps,
    IReadOnlyList<ThumbnailReport> Thumbnails, FrameMapReport FrameMap, double DecodeSeconds, double TranslateSeconds)
{
    public static ClipReport From(string clip, ExplainedTranslation explained, IReadOnlyList<SignTranslate.Data.ClipThumbnail> thumbnails,
        double decodeSeconds, double translateSeconds) => new(
        clip, explained.Text,
        explained.Tokens.Select(t => new TokenReport(t.Id, t.Text, t.Probability, t.FrameAttention)).ToList(),
        explained.EndProbability, explained.Frames, explained.EncoderSteps,
        thumbnails.Select(t => new ThumbnailReport(t.Frame, "data:image/png;base64," + Convert.ToBase64String(t.Png))).ToList(),
        new FrameMapReport(explained.FrameMap.X, explained.FrameMap.Y, explained.FrameMap.ExplainedVariance1, explained.FrameMap.ExplainedVariance2),
        decodeSeconds, translateSeconds);
}

/// <param name="Attention">Cross-attention per input frame (mean over layers and heads).</param>
public sealed record TokenReport(int Id, string Text, double Probability, float[] Attention);

public sealed record ThumbnailReport(int Frame, string Src);

/// <summary>The clip's frame features on their first two principal axes, as <c>slt density</c> projects them.</summary>
public sealed record FrameMapReport(double[] X, double[] Y, double ExplainedVariance1, double ExplainedVariance2);
