using SignTranslate.Data.Manifests;

namespace SignTranslate.Data.Import;

/// <summary>
/// A corpus converted to manifest lines, one list per split, ready for <see cref="CorpusManifests.Write"/>.
/// </summary>
/// <param name="Corpus">The importer's name (how2sign, openasl, labels, csl_daily), for messages and dataset.yaml.</param>
/// <param name="Splits">The manifest lines of each split; <see cref="ManifestEntry.Video"/> is relative to the output folder.</param>
/// <param name="SuggestedFps">The data.video.fps to suggest: the probed rate of the first video, or 0 for frame folders.</param>
/// <param name="FpsNote">Where <paramref name="SuggestedFps"/> came from, written beside it as a comment.</param>
/// <param name="Skipped">Rows left out because their video was missing (only with skip-missing), for the report.</param>
public sealed record ImportedCorpus(
    string Corpus, IReadOnlyDictionary<Split, IReadOnlyList<ManifestEntry>> Splits, double SuggestedFps, string FpsNote,
    IReadOnlyList<string> Skipped);
