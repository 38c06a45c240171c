using SignTranslate.Data.Manifests;
using SignTranslate.Files;

namespace SignTranslate.Data.Import;

/// <summary>
/// Converts corpora of frame images (GFSLT-VLP labels files: Phoenix-2014T, synthetic; CSL-Daily) into manifests whose
/// <c>video</c> is each sample's frame folder. The frames stay where they are, so the manifests must be written in the
/// image root or a folder above it. A manifest reads every image of its folder in name order, so a sample whose
/// listed frames are not exactly its folder's images (a subset, another order, frames in two folders) is refused
/// rather than silently trained on different frames.
/// </summary>
public static class FrameFolderImporter
{
    /// <summary>labels.train/dev/test (GFSLT-VLP gzip pickles) with frame paths relative to <paramref name="imageRoot"/>.</summary>
    public static ImportedCorpus ImportLabels(IReadOnlyDictionary<Split, string> labelsFiles, string imageRoot, string outFolder, bool skipMissing)
    {
        ImportPaths.RequireInside(outFolder, imageRoot, "--frames");
        var samples = labelsFiles.ToDictionary(p => p.Key, p => (p.Value, LabelsFileReader.Read(p.Value)));
        return Convert("labels", samples, imageRoot, outFolder, skipMissing, FrameFolder);
    }

    /// <summary>The CSL-Daily release: the annotation pickle, the split list and the frames root (sentence/frames_512x512).</summary>
    public static ImportedCorpus ImportCslDaily(string annotations, string splitList, string imageRoot, string outFolder, bool skipMissing)
    {
        ImportPaths.RequireInside(outFolder, imageRoot, "--frames");
        var samples = Enum.GetValues<Split>().ToDictionary(s => s, s => (annotations, CslDailyReader.Read(annotations, splitList, imageRoot, s)));
        // CslDailyReader names samples <split>/<name> and lists <name>/'s images (none when the folder is absent).
        return Convert("csl_daily", samples, imageRoot, outFolder, skipMissing, (_, sample) => sample.Id[(sample.Id.IndexOf('/') + 1)..]);
    }

    private static ImportedCorpus Convert(string corpus, Dictionary<Split, (string File, IReadOnlyList<SignSample> Samples)> splits,
        string imageRoot, string outFolder, bool skipMissing, Func<string, SignSample, string> frameFolder)
    {
        var missing = new MissingVideos(skipMissing);
        var result = new Dictionary<Split, IReadOnlyList<ManifestEntry>>();
        foreach (var (split, (file, samples)) in splits)
        {
            var entries = new List<ManifestEntry>(samples.Count);
            foreach (var sample in samples)
            {
                if (PathsFromData.Problem(sample.Id) is { } idProblem)
                    throw new DataFormatException(file, sample.Id, null, $"the sample name {idProblem}");
                var folder = frameFolder(file, sample);
                var full = PathsFromData.Resolve(imageRoot, folder, $"{file}: sample '{sample.Id}'");
                if (!Directory.Exists(full)) { missing.Add($"{file}: sample '{sample.Id}'", full); continue; }
                CheckFolderHoldsExactlyTheFrames(file, sample, full);
                entries.Add(new ManifestEntry(sample.Id, ImportPaths.ManifestPath(outFolder, full, $"{file}: sample '{sample.Id}'"), sample.Text)
                {
                    Gloss = sample.Gloss, GlossSpans = sample.GlossSpans, Signer = sample.Signer,
                });
            }
            result[split] = entries;
        }
        missing.ThrowUnlessSkipped("frame folder");
        return new ImportedCorpus(corpus, result, 0, "frame folders: every frame is used; fps applies to video files only", missing.Skipped);
    }

    /// <summary>The one folder all of a sample's frames are in, relative to the image root.</summary>
    private static string FrameFolder(string file, SignSample sample)
    {
        if (sample.FramePaths.Count == 0)
            throw new DataFormatException(file, sample.Id, null, "lists no frames (is its frame folder missing?)");
        var folders = sample.FramePaths.Select(p => p.LastIndexOf('/') is var slash && slash > 0 ? p[..slash] : "").Distinct().ToList();
        if (folders.Count > 1 || folders[0].Length == 0)
            throw new DataFormatException(file, sample.Id, "imgs_path",
                folders.Count > 1 ? $"frames in {folders.Count} folders ({folders[0]}, {folders[1]}); a manifest names one frame folder per sample"
                                  : "frames directly in the image root; a manifest names one frame folder per sample");
        return folders[0];
    }

    private static void CheckFolderHoldsExactlyTheFrames(string file, SignSample sample, string folder)
    {
        var onDisk = MediaFiles.FramesIn(folder).Select(Path.GetFileName).ToList();
        var listed = sample.FramePaths.Select(p => p[(p.LastIndexOf('/') + 1)..]).ToList();
        if (!onDisk.SequenceEqual(listed, StringComparer.Ordinal))
            throw new DataFormatException(file, sample.Id, "imgs_path",
                $"lists {listed.Count} frames but {folder} holds {onDisk.Count} images" +
                (onDisk.Count == listed.Count ? " in another order or by other names" : "") +
                "; a manifest reads every image of the folder in name order, so the frames would differ");
    }
}
