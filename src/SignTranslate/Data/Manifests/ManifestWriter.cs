using System.Globalization;
using System.Text;
using SignTranslate.Files;

namespace SignTranslate.Data.Manifests;

/// <summary>One line of a manifest, as <see cref="ManifestWriter"/> writes it.</summary>
/// <param name="Video">Video file or frame folder, relative to the manifest's folder, '/'-separated.</param>
public sealed record ManifestEntry(string Id, string Video, string Text)
{
    public double? Start { get; init; }
    public double? End { get; init; }
    public string? Signer { get; init; }
    public string? Gloss { get; init; }
    public IReadOnlyList<GlossSpan>? GlossSpans { get; init; }

    /// <summary>Keypoint file or OpenPose folder, relative to the manifest's folder, '/'-separated (docs/pose.md#formats).</summary>
    public string? Keypoints { get; init; }
}

/// <summary>
/// Writes a corpus manifest as TSV with every column of <see cref="ManifestColumns.All"/> (docs/datasets.md#manifests),
/// except <c>keypoints</c> when no entry has keypoints, so manifests without pose stay as they were.
/// Tabs and line breaks inside texts become spaces (a TSV field cannot hold them); ids and paths holding them are
/// refused. The file is written beside its final name and renamed over it, so a reader never sees half of it.
/// </summary>
public static class ManifestWriter
{
    public static void Write(string path, IEnumerable<ManifestEntry> entries)
    {
        var list = entries.ToList();
        var withKeypoints = list.Any(e => e.Keypoints is not null);
        var text = new StringBuilder();
        text.AppendJoin('\t', ManifestColumns.All.Where(c => withKeypoints || c != ManifestColumns.Keypoints)).Append('\n');
        foreach (var entry in list)
        {
            text.AppendJoin('\t',
                Name(entry.Id, "id"),
                Name(entry.Video, "video"),
                Seconds(entry.Start),
                Seconds(entry.End),
                Field(entry.Text),
                Field(entry.Signer ?? ""),
                Field(entry.Gloss ?? ""),
                entry.GlossSpans is null ? "" : string.Join(' ', entry.GlossSpans.Select(s => $"{Field(s.Gloss).Replace(' ', '_')}:{s.Start}:{s.End}")));
            if (withKeypoints) text.Append('\t').Append(entry.Keypoints is null ? "" : Name(entry.Keypoints, "keypoints"));
            text.Append('\n');
        }
        var temporary = path + ".tmp";
        UserFiles.WriteAllText(temporary, text.ToString());
        UserFiles.Write(path, p => File.Move(temporary, p, overwrite: true));
    }

    private static string Name(string name, string column) =>
        name.Length > 0 && !name.Any(c => c is '\t' or '\n' or '\r')
            ? name
            : throw new ArgumentException($"a manifest {column} must be non-empty and hold no tab or line break: '{name}'");

    private static string Field(string text) => string.Join(' ', text.Split(['\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries)).Trim();

    private static string Seconds(double? seconds) => seconds?.ToString("0.###", CultureInfo.InvariantCulture) ?? "";
}
