namespace SignTranslate.Data.Manifests;

/// <summary>The columns of a corpus manifest (docs/datasets.md#manifests).</summary>
public static class ManifestColumns
{
    public const string Id = "id";
    public const string Video = "video";
    public const string Start = "start";
    public const string End = "end";
    public const string Text = "text";
    public const string Signer = "signer";
    public const string Gloss = "gloss";
    public const string GlossSpans = "gloss_spans";

    /// <summary>The sample's keypoint file or OpenPose folder, relative to the manifest (docs/pose.md#formats).</summary>
    public const string Keypoints = "keypoints";

    public static readonly string[] Required = [Id, Video, Text];
    public static readonly string[] Optional = [Start, End, Signer, Gloss, GlossSpans, Keypoints];

    /// <summary>The order the writer uses; <see cref="Keypoints"/> goes last and only when some entry has keypoints.</summary>
    public static readonly string[] All = [Id, Video, Start, End, Text, Signer, Gloss, GlossSpans, Keypoints];
}
