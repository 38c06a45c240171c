namespace SignTranslate.Data;

/// <summary>Reads one split of the configured on-disk dataset, whatever its format.</summary>
public static class DatasetReader
{
    /// <param name="options">Dataset settings.</param>
    /// <param name="configFolder">Folder relative paths in <paramref name="options"/> are resolved against.</param>
    /// <param name="split">Which split.</param>
    public static IReadOnlyList<SignSample> Read(DataOptions options, string configFolder, Split split) => options.Kind switch
    {
        DatasetKind.Labels => LabelsFileReader.Read(DataPaths.AnnotationFile(options, configFolder, split)),
        DatasetKind.PhoenixCsv => PhoenixCorpusReader.Read(
            DataPaths.AnnotationFile(options, configFolder, split), DataPaths.ImageRoot(options, configFolder), split),
        DatasetKind.CslDaily => CslDailyReader.Read(
            DataPaths.AnnotationFile(options, configFolder, split),
            Path.GetFullPath(options.SplitList, DataPaths.Root(options, configFolder)),
            DataPaths.ImageRoot(options, configFolder), split),
        DatasetKind.Manifest => Manifests.ManifestReader.Read(DataPaths.AnnotationFile(options, configFolder, split), options.Video.Fps),
        DatasetKind.Synthetic => throw new InputException(
            "The synthetic dataset is generated in memory; write it with `slt synth --out DIR` and read it as kind: labels."),
        _ => throw new ArgumentOutOfRangeException(nameof(options), options.Kind, "unknown dataset kind"),
    };
}
