using System.Globalization;
using SignTranslate.Data.Video;
using SignTranslate.Files;

namespace SignTranslate.Data.Manifests;

/// <summary>
/// Reads one split's corpus manifest (docs/datasets.md#manifests): a TSV or CSV file with a header, one sample per
/// line. <c>video</c> names a video file or a folder of frames, relative to the manifest's folder and inside it;
/// <c>start</c>/<c>end</c> are seconds (empty: the file's own ends); <c>gloss_spans</c> lists <c>GLOSS:START:END</c>
/// frame ranges of the decoded clip, space-separated; <c>keypoints</c> (optional) names the sample's keypoint file or
/// OpenPose folder (docs/pose.md#formats), relative to the manifest's folder and inside it, like <c>video</c>. Structural problems (columns, numbers, unsafe paths, an end
/// before the start) throw <see cref="DataFormatException"/> with the file and line; what a sample says (empty text,
/// duplicated ids, missing or undecodable videos) is left for <see cref="DatasetChecker"/>, which names the line
/// through <see cref="SignSample.Origin"/>.
/// </summary>
public static class ManifestReader
{
    /// <param name="path">The manifest file.</param>
    /// <param name="framesPerSecond">The decoding frame rate (data.video.fps), used to count a timed clip's frames; 0: not counted.</param>
    public static IReadOnlyList<SignSample> Read(string path, double framesPerSecond = 0)
    {
        var (_, rows) = DelimitedFile.Read(path, ManifestColumns.Required, ManifestColumns.Optional);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        return rows.Select(row => Sample(row, folder, framesPerSecond)).ToList();
    }

    private static SignSample Sample(DelimitedRow row, string folder, double framesPerSecond)
    {
        var id = row[ManifestColumns.Id];
        if (id.Length == 0) throw row.Problem(ManifestColumns.Id, "empty; every sample needs an id");
        var video = row[ManifestColumns.Video];
        if (PathsFromData.Problem(video) is { } problem)
            throw row.Problem(ManifestColumns.Video, $"'{video}' {problem}; it names a video file or frame folder relative to the manifest");
        var full = PathsFromData.Resolve(folder, video, $"{row.File}:{row.Line}: video");
        var start = row.Seconds(ManifestColumns.Start, optional: true);
        var end = row.Seconds(ManifestColumns.End, optional: true);
        if (start is { } s && end is { } e && e <= s)
            throw row.Problem(ManifestColumns.End, $"{e.ToString(CultureInfo.InvariantCulture)} s is not after the start ({s.ToString(CultureInfo.InvariantCulture)} s)");

        var origin = $"{row.File}:{row.Line}";
        var gloss = row[ManifestColumns.Gloss] is { Length: > 0 } g ? g : null;
        var spans = row[ManifestColumns.GlossSpans] is { Length: > 0 } text ? GlossSpans(row, text) : null;
        var signer = row[ManifestColumns.Signer] is { Length: > 0 } who ? who : null;
        var keypoints = row[ManifestColumns.Keypoints] is { Length: > 0 } pose ? KeypointFile(row, folder, pose) : null;
        if (Directory.Exists(full))
        {
            if (start is not null || end is not null)
                throw row.Problem(ManifestColumns.Start, $"'{video}' is a folder of frames; start and end apply to video files only");
            var frames = MediaFiles.FramesIn(full);
            return new SignSample
            {
                Id = id, Text = row[ManifestColumns.Text], Gloss = gloss, Signer = signer, GlossSpans = spans, Origin = origin,
                KeypointFile = keypoints, FrameCount = frames.Count, FramePaths = frames,
            };
        }
        var counted = framesPerSecond > 0 && start is not null && end is not null
            ? (int)Math.Round((end.Value - start.Value) * framesPerSecond) : 0;
        return new SignSample
        {
            Id = id, Text = row[ManifestColumns.Text], Gloss = gloss, Signer = signer, GlossSpans = spans, Origin = origin,
            KeypointFile = keypoints, FrameCount = counted, VideoFile = full, Clip = new ClipTimes(start, end),
        };
    }

    /// <summary>The keypoint file's full path; like a video, a name from the manifest must stay inside its folder.</summary>
    private static string KeypointFile(DelimitedRow row, string folder, string name)
    {
        if (PathsFromData.Problem(name) is { } problem)
            throw row.Problem(ManifestColumns.Keypoints, $"'{name}' {problem}; it names a keypoint file or OpenPose folder relative to the manifest");
        return PathsFromData.Resolve(folder, name, $"{row.File}:{row.Line}: keypoints");
    }

    private static List<GlossSpan> GlossSpans(DelimitedRow row, string text)
    {
        var spans = new List<GlossSpan>();
        foreach (var item in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = item.Split(':');
            if (parts.Length < 3
                || !int.TryParse(parts[^2], NumberStyles.None, CultureInfo.InvariantCulture, out var start)
                || !int.TryParse(parts[^1], NumberStyles.None, CultureInfo.InvariantCulture, out var end)
                || end < start || parts[..^2].Any(p => p.Length == 0))
                throw row.Problem(ManifestColumns.GlossSpans, $"'{item}' is not GLOSS:START:END with frame numbers START ≤ END");
            spans.Add(new GlossSpan(string.Join(':', parts[..^2]), start, end));
        }
        return spans;
    }
}
