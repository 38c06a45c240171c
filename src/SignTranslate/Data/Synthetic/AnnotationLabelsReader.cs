namespace SignTranslate.Data.Synthetic;

/// <summary>
/// What the synthetic renderer needs (name, glosses, text, length) from GFSLT-VLP labels files, so that real
/// gloss/text pairs and frame counts can drive rendered videos. Problems (<see cref="InputException"/>) name the
/// file, sample and field.
/// </summary>
public static class AnnotationLabelsReader
{
    /// <summary>
    /// The splits to read for <paramref name="path"/>: a folder means its <c>labels.train|dev|test</c>; a file named
    /// <c>labels.&lt;split&gt;</c> means it and its sibling split files; any other file is the training split.
    /// </summary>
    public static IReadOnlyDictionary<string, string> SplitFiles(string path)
    {
        string? folder = Directory.Exists(path) ? path
            : File.Exists(path) && SyntheticDataset.SplitNames.Any(s => Path.GetFileName(path) == $"labels.{s}") ? Path.GetDirectoryName(Path.GetFullPath(path))
            : null;
        if (folder is null)
            return File.Exists(path)
                ? new Dictionary<string, string> { ["train"] = path }
                : throw new InputException($"{path}: annotation file or folder not found");

        var files = SyntheticDataset.SplitNames
            .Select(split => (split, file: Path.Combine(folder, $"labels.{split}")))
            .Where(x => File.Exists(x.file))
            .ToDictionary(x => x.split, x => x.file);
        return files.Count > 0 ? files : throw new InputException($"{path}: no labels.train, labels.dev or labels.test found");
    }

    /// <summary>Samples of one labels file, sorted by name, at most <paramref name="limit"/>.</summary>
    public static IReadOnlyList<AnnotatedSentence> Read(string file, int limit = int.MaxValue)
    {
        var result = new List<AnnotatedSentence>();
        foreach (var sample in LabelsFileReader.Read(file).OrderBy(s => s.Id, StringComparer.Ordinal).Take(limit))
        {
            var glosses = (sample.Gloss ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (glosses.Length == 0)
                throw new InputException($"{file}: sample '{sample.Id}': field 'gloss' is empty; rendering needs glosses");
            if (sample.FrameCount <= 0)
                throw new InputException($"{file}: sample '{sample.Id}': field 'length' must be positive, found {sample.FrameCount}");
            result.Add(new AnnotatedSentence(file, sample.Id, glosses, sample.Text, sample.FrameCount));
        }
        return result;
    }
}
