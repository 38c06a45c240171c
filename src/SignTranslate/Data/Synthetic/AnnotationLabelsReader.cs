using System.Collections;
using System.IO.Compression;
using Razorvine.Pickle;

namespace SignTranslate.Data.Synthetic;

/// <summary>
/// Reads just what the synthetic renderer needs (name, gloss, text, length) from GFSLT-VLP labels files, so that
/// real gloss/text pairs and frame counts can drive rendered videos. Problems (<see cref="InputException"/>) name the file, sample and field.
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

    /// <summary>Samples of one labels file, sorted by name (pickle dicts arrive unordered), at most <paramref name="limit"/>.</summary>
    public static IReadOnlyList<AnnotatedSentence> Read(string file, int limit = int.MaxValue)
    {
        if (!File.Exists(file)) throw new InputException($"{file}: labels file not found");
        object root;
        try
        {
            using var stream = new GZipStream(File.OpenRead(file), CompressionMode.Decompress);
            root = new Unpickler().load(stream);
        }
        catch (Exception e) when (e is InvalidDataException or PickleException or IOException or InvalidOperationException or UnauthorizedAccessException)
        {
            throw new InputException($"{file}: not a gzip-compressed pickle labels file ({e.Message})", e);
        }
        if (root is not IDictionary samples)
            throw new InputException($"{file}: expected a dict of samples, found {root?.GetType().Name ?? "None"}");

        var result = new List<AnnotatedSentence>();
        foreach (var key in samples.Keys.Cast<object>().Select(k => k as string ?? throw new InputException($"{file}: sample key {k} is not a string")).Order(StringComparer.Ordinal))
        {
            if (result.Count >= limit) break;
            if (samples[key] is not IDictionary fields)
                throw new InputException($"{file}: sample '{key}': expected a dict of fields");
            var gloss = Field<string>(file, key, fields, "gloss");
            var text = Field<string>(file, key, fields, "text");
            var length = Field<int>(file, key, fields, "length");
            var glosses = gloss.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (glosses.Length == 0) throw new InputException($"{file}: sample '{key}': field 'gloss' is empty; rendering needs glosses");
            if (length <= 0) throw new InputException($"{file}: sample '{key}': field 'length' must be positive, found {length}");
            result.Add(new AnnotatedSentence(file, key, glosses, text, length));
        }
        return result;
    }

    private static T Field<T>(string file, string sample, IDictionary fields, string name) =>
        fields.Contains(name) && fields[name] is T value
            ? value
            : throw new InputException(
                $"{file}: sample '{sample}': field '{name}' {(fields.Contains(name) ? $"should be {(typeof(T) == typeof(int) ? "an int" : "a str")}, found {fields[name]?.GetType().Name ?? "None"}" : "is missing")}");
}
