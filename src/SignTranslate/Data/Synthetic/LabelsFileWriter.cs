using System.IO.Compression;
using Razorvine.Pickle;
using SignTranslate.Files;

namespace SignTranslate.Data.Synthetic;

/// <summary>
/// Writes the GFSLT-VLP labels format (docs/reference.md#s2.1): a gzip-compressed pickle of one dict, sample name →
/// {name, gloss, text, length, imgs_path}, plus <c>gloss_spans</c> = [[gloss, start, end], …] (frames [start, end))
/// when the samples have spans, and <c>keypoints</c> = the sample's keypoint file relative to the labels file's folder
/// when it has one (docs/datasets.md). The file appears only when complete: it is written beside the target and renamed.
/// </summary>
public static class LabelsFileWriter
{
    public static void Write(string path, IEnumerable<SignSample> samples)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var labels = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var sample in samples)
        {
            var entry = new Dictionary<string, object?>
            {
                ["name"] = sample.Id,
                ["gloss"] = sample.Gloss ?? "",
                ["text"] = sample.Text,
                ["length"] = sample.FrameCount,
                ["imgs_path"] = sample.FramePaths.Cast<object>().ToList(),
            };
            if (sample.GlossSpans is { } spans)
                entry["gloss_spans"] = spans.Select(s => (object)new List<object> { s.Gloss, s.Start, s.End }).ToList();
            if (sample.KeypointFile is { } keypoints)
                entry["keypoints"] = KeypointName(folder, keypoints, sample.Id);
            if (!labels.TryAdd(sample.Id, entry))
                throw new ArgumentException($"Duplicate sample name '{sample.Id}' in labels for {path}.", nameof(samples));
        }

        var partial = path + ".partial";
        using (var file = File.Create(partial))
        using (var gzip = new GZipStream(file, CompressionLevel.Optimal))
            new Pickler().dump(labels, gzip);
        File.Move(partial, path, overwrite: true);
    }

    /// <summary>
    /// <paramref name="keypointFile"/> (full, or relative to <paramref name="folder"/>) as the '/'-separated name the
    /// reader resolves against the labels file's folder; a file outside that folder cannot be named and is refused.
    /// </summary>
    private static string KeypointName(string folder, string keypointFile, string sample)
    {
        var relative = Path.GetRelativePath(folder, Path.GetFullPath(keypointFile, folder)).Replace(Path.DirectorySeparatorChar, '/');
        return PathsFromData.Problem(relative) is { } problem
            ? throw new ArgumentException($"sample '{sample}': keypoint file {keypointFile} is not inside {folder} (its name {problem})")
            : relative;
    }
}
