using System.Globalization;
using SignTranslate.Data.Manifests;
using SignTranslate.Files;

namespace SignTranslate.Data.Import;

/// <summary>
/// Converts OpenASL's <c>openasl-v1.0.tsv</c> (columns vid, yid, start, end, raw-text, tokenized-text, gloss, split;
/// split is train, valid or test) into manifests. OpenASL ships no videos: the user downloads the YouTube videos
/// (<c>&lt;yid&gt;.mp4</c>, as the release's prep/download.py names them), and each row becomes a clip of its video
/// from start to end; or, with <c>clips</c>, the user has cut them already (prep/crop_video.py writes
/// <c>&lt;vid&gt;.mp4</c>, with ':' in the name replaced by '%'), and a row is its whole clip. Times are seconds or
/// <c>[HH:]MM:SS[.fff]</c> (the release passes them straight to ffmpeg's -ss/-to, which takes both).
/// </summary>
public static class OpenAslImporter
{
    public static readonly string[] Required = ["vid", "yid", "start", "end", "split"];
    public const string DefaultTextColumn = "raw-text";

    /// <param name="tsv">openasl-v1.0.tsv.</param>
    /// <param name="videos">The folder of the downloaded videos (or cut clips).</param>
    /// <param name="outFolder">Where the manifests go; <paramref name="videos"/> must be inside it.</param>
    /// <param name="clips">true: the folder holds clips named by vid; false: whole videos named by yid.</param>
    /// <param name="textColumn">The translation column: raw-text (default) or tokenized-text.</param>
    /// <param name="skipMissing">true: rows whose video is absent are left out (and reported) instead of failing.</param>
    public static ImportedCorpus Import(string tsv, string videos, string outFolder, bool clips, string textColumn, bool skipMissing)
    {
        ImportPaths.RequireInside(outFolder, videos, "--videos");
        var (_, rows) = DelimitedFile.Read(tsv, [.. Required, textColumn], optional: null);
        var missing = new MissingVideos(skipMissing);
        var splits = Enum.GetValues<Split>().ToDictionary(s => s, _ => new List<ManifestEntry>());
        var found = new List<string>();
        foreach (var row in rows)
        {
            var split = row["split"] switch
            {
                "train" => Split.Train,
                "valid" or "dev" or "val" => Split.Dev,
                "test" => Split.Test,
                var other => throw row.Problem("split", $"'{other}' is not train, valid or test"),
            };
            var vid = ImportPaths.VideoName(row, "vid");
            var text = row[textColumn];
            if (text.Length == 0) throw row.Problem(textColumn, "empty; every clip needs its translation");
            var start = Time(row, "start");
            var end = Time(row, "end");
            if (end <= start)
                throw row.Problem("end", $"{row["end"]} is not after the start ({row["start"]})");

            var video = clips ? ClipFile(videos, vid, row) : PathsFromData.Resolve(videos, ImportPaths.VideoName(row, "yid") + ".mp4", $"{row.File}:{row.Line}");
            if (!File.Exists(video)) { missing.Add($"{row.File}:{row.Line}", video); continue; }
            if (found.Count < 3) found.Add(video);
            var path = ImportPaths.ManifestPath(outFolder, video, $"{row.File}:{row.Line}");
            var gloss = row["gloss"] is { Length: > 0 } g ? g : null;
            splits[split].Add(clips
                ? new ManifestEntry(vid, path, text) { Gloss = gloss }
                : new ManifestEntry(vid, path, text) { Start = start, End = end, Gloss = gloss });
        }
        missing.ThrowUnlessSkipped(clips ? "clip" : "video");
        var (fps, note) = CorpusManifests.ProbeFps(found);
        return new ImportedCorpus("openasl", splits.ToDictionary(p => p.Key, p => (IReadOnlyList<ManifestEntry>)p.Value), fps, note, missing.Skipped);
    }

    /// <summary>The clip of <paramref name="vid"/>: <c>vid.mp4</c>, or crop_video.py's name with ':' as '%'.</summary>
    private static string ClipFile(string videos, string vid, DelimitedRow row)
    {
        var exact = PathsFromData.Resolve(videos, vid + ".mp4", $"{row.File}:{row.Line}");
        if (File.Exists(exact) || !vid.Contains(':')) return exact;
        var cropped = PathsFromData.Resolve(videos, vid.Replace(':', '%') + ".mp4", $"{row.File}:{row.Line}");
        return File.Exists(cropped) ? cropped : exact;
    }

    /// <summary>Seconds from <c>12.5</c>, <c>01:02.5</c> or <c>00:01:02.500</c>.</summary>
    public static bool TryParseTime(string text, out double seconds)
    {
        seconds = 0;
        var parts = text.Split(':');
        if (parts.Length > 3 || text.Length == 0) return false;
        for (var i = 0; i < parts.Length; i++)
        {
            var last = i == parts.Length - 1;
            if (!double.TryParse(parts[i], last ? NumberStyles.AllowDecimalPoint : NumberStyles.None, CultureInfo.InvariantCulture, out var value)
                || !double.IsFinite(value) || (i > 0 && value >= 60))
                return false;
            seconds = seconds * 60 + value;
        }
        return true;
    }

    private static double Time(DelimitedRow row, string column) =>
        TryParseTime(row[column], out var seconds)
            ? seconds
            : throw row.Problem(column, $"expected a time in seconds (12.5) or [HH:]MM:SS[.fff] (00:01:02.500), found '{row[column]}'");
}
