using System.Globalization;
using System.Text;
using SignTranslate.Data.Manifests;
using SignTranslate.Data.Video;
using SignTranslate.Files;

namespace SignTranslate.Data.Import;

/// <summary>
/// Writes an imported corpus as <c>manifest.{train,dev,test}.tsv</c> plus <c>dataset.yaml</c>, the <c>data:</c>
/// section that reads them (docs/datasets.md#importing-corpora). Every split is written even when empty, so the
/// config always names three files that exist.
/// </summary>
public static class CorpusManifests
{
    public const string DatasetFileName = "dataset.yaml";

    public static string FileName(Split split) => $"manifest.{split.ToString().ToLowerInvariant()}.tsv";

    /// <summary>Writes the manifests and dataset.yaml into <paramref name="outFolder"/>; returns dataset.yaml's text.</summary>
    public static string Write(string outFolder, ImportedCorpus corpus)
    {
        Directory.CreateDirectory(outFolder);
        foreach (var split in Enum.GetValues<Split>())
            ManifestWriter.Write(Path.Combine(outFolder, FileName(split)),
                corpus.Splits.TryGetValue(split, out var entries) ? entries : []);
        var yaml = DatasetYaml(outFolder, corpus);
        UserFiles.WriteAllText(Path.Combine(outFolder, DatasetFileName), yaml);
        return yaml;
    }

    /// <summary>
    /// The <c>data:</c> section for an experiment config. <c>root</c> is absolute because the snippet is meant to be
    /// pasted into a config that lives elsewhere (relative roots resolve against the config's own folder).
    /// </summary>
    public static string DatasetYaml(string outFolder, ImportedCorpus corpus)
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.Append("# Written by `slt data import ").Append(corpus.Corpus).Append("`: paste the data section into an experiment config\n");
        text.Append("# (docs/datasets.md#importing-corpora), then run `slt data check --config YOUR_CONFIG`.\n");
        text.Append("data:\n");
        text.Append("  kind: manifest\n");
        text.Append("  root: ").Append(Quote(Path.GetFullPath(outFolder))).Append('\n');
        text.Append("  files:\n");
        foreach (var split in Enum.GetValues<Split>())
        {
            var count = corpus.Splits.TryGetValue(split, out var entries) ? entries.Count : 0;
            text.Append(c, $"    {split.ToString().ToLowerInvariant()}: {FileName(split)}   # {count} samples\n");
        }
        text.Append("  video:\n");
        text.Append(c, $"    fps: {corpus.SuggestedFps:0.###}   # {corpus.FpsNote}\n");
        return text.ToString();
    }

    /// <summary>
    /// The frame rate to suggest for data.video.fps: the first readable video's own rate, rounded to 3 decimals, so
    /// that training decodes every stored frame (lower it to subsample long videos).
    /// </summary>
    public static (double Fps, string Note) ProbeFps(IEnumerable<string> videoFiles)
    {
        foreach (var file in videoFiles.Take(3))
        {
            try
            {
                var info = VideoInfo.Probe(file);
                if (info.FramesPerSecond > 0)
                    return (Math.Round(info.FramesPerSecond, 3), $"the frame rate of {Path.GetFileName(file)}; lower it to subsample");
            }
            catch (VideoFileException)
            {
                // An unreadable video is data check's to report; try the next one.
            }
        }
        return (0, "no video could be probed; 0 decodes every stored frame");
    }

    private static string Quote(string path) => "'" + path.Replace("'", "''") + "'";
}
