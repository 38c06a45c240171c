using System.Globalization;
using SignTranslate.Data.Manifests;
using SignTranslate.Files;

namespace SignTranslate.Data.Import;

/// <summary>One How2Sign split: its realigned CSV, the folder of its videos and, optionally, of its OpenPose output.</summary>
/// <param name="Csv"><c>how2sign_realigned_{train,val,test}.csv</c> (How2Sign's <c>val</c> is our <c>dev</c>).</param>
/// <param name="Videos">The sentence clips (<c>SENTENCE_NAME.mp4</c>, e.g. <c>train_rgb_front_clips/raw_videos/</c>),
/// or with whole videos the raw videos (<c>VIDEO_NAME.mp4</c>).</param>
/// <param name="Keypoints">How2Sign's OpenPose output of the sentence clips: a folder <c>SENTENCE_NAME/</c> of
/// <c>*_keypoints.json</c> per clip (e.g. <c>train_2D_keypoints/openpose_output/json/</c>); null: no keypoints.</param>
public sealed record How2SignSplit(string Csv, string Videos, string? Keypoints = null);

/// <summary>
/// Converts How2Sign's realigned sentence files into manifests. The files are tab-separated despite their .csv name,
/// with exactly the columns <see cref="Columns"/>. With the released sentence clips (the default) a row becomes
/// id = SENTENCE_NAME, video = the clip, no start/end (the clip is already cut); with whole videos it becomes
/// video = VIDEO_NAME.mp4 with START_REALIGNED/END_REALIGNED (seconds) as start/end. With keypoints, each row's
/// <c>keypoints</c> names the clip's OpenPose folder (docs/pose.md#formats); they are per sentence clip, so they do
/// not go with whole videos.
/// </summary>
public static class How2SignImporter
{
    public static readonly string[] Columns =
        ["VIDEO_ID", "VIDEO_NAME", "SENTENCE_ID", "SENTENCE_NAME", "START_REALIGNED", "END_REALIGNED", "SENTENCE"];

    /// <param name="splits">The CSV and videos folder of each split.</param>
    /// <param name="outFolder">Where the manifests go; every videos folder must be inside it.</param>
    /// <param name="wholeVideos">true: the folders hold raw videos, cut by the realigned times.</param>
    /// <param name="skipMissing">true: rows whose video is absent are left out (and reported) instead of failing.</param>
    public static ImportedCorpus Import(IReadOnlyDictionary<Split, How2SignSplit> splits, string outFolder, bool wholeVideos, bool skipMissing)
    {
        foreach (var (split, files) in splits)
        {
            var name = split.ToString().ToLowerInvariant();
            ImportPaths.RequireInside(outFolder, files.Videos, $"--{name}-videos");
            if (files.Keypoints is null) continue;
            if (wholeVideos)
                throw new InputException($"--{name}-keypoints: How2Sign's keypoints are per sentence clip; they do not go with --whole-videos");
            ImportPaths.RequireInside(outFolder, files.Keypoints, $"--{name}-keypoints");
        }
        var missing = new MissingVideos(skipMissing);
        var result = new Dictionary<Split, IReadOnlyList<ManifestEntry>>();
        var found = new List<string>();
        foreach (var (split, files) in splits)
        {
            var (_, rows) = DelimitedFile.Read(files.Csv, Columns, optional: null);
            var entries = new List<ManifestEntry>(rows.Count);
            foreach (var row in rows)
            {
                var entry = Entry(row, files.Videos, outFolder, wholeVideos, out var video);
                if (!File.Exists(video)) { missing.Add($"{row.File}:{row.Line}", video); continue; }
                if (files.Keypoints is { } keypoints)
                {
                    var folder = PathsFromData.Resolve(keypoints, entry.Id, $"{row.File}:{row.Line}");
                    if (!Directory.Exists(folder)) { missing.Add($"{row.File}:{row.Line}", folder); continue; }
                    entry = entry with { Keypoints = ImportPaths.ManifestPath(outFolder, folder, $"{row.File}:{row.Line}") };
                }
                if (found.Count < 3) found.Add(video);
                entries.Add(entry);
            }
            result[split] = entries;
        }
        missing.ThrowUnlessSkipped(splits.Values.Any(s => s.Keypoints is not null) ? "video or keypoint folder" : "video");
        var (fps, note) = CorpusManifests.ProbeFps(found);
        return new ImportedCorpus("how2sign", result, fps, note, missing.Skipped);
    }

    private static ManifestEntry Entry(DelimitedRow row, string videos, string outFolder, bool wholeVideos, out string video)
    {
        var sentence = ImportPaths.VideoName(row, "SENTENCE_NAME");
        var text = row["SENTENCE"];
        if (text.Length == 0) throw row.Problem("SENTENCE", "empty; every sentence needs its translation");
        var fileName = (wholeVideos ? ImportPaths.VideoName(row, "VIDEO_NAME") : sentence) + ".mp4";
        video = PathsFromData.Resolve(videos, fileName, $"{row.File}:{row.Line}");
        var path = ImportPaths.ManifestPath(outFolder, video, $"{row.File}:{row.Line}");
        if (!wholeVideos) return new ManifestEntry(sentence, path, text);
        var start = row.Seconds("START_REALIGNED", optional: false)!.Value;
        var end = row.Seconds("END_REALIGNED", optional: false)!.Value;
        if (end <= start)
            throw row.Problem("END_REALIGNED", $"{end.ToString(CultureInfo.InvariantCulture)} s is not after START_REALIGNED ({start.ToString(CultureInfo.InvariantCulture)} s)");
        return new ManifestEntry(sentence, path, text) { Start = start, End = end };
    }
}
