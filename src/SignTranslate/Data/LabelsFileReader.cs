using System.Collections;
using SignTranslate.Files;
using static SignTranslate.Data.PickleFile;

namespace SignTranslate.Data;

/// <summary>
/// Reads a GFSLT-VLP labels file (docs/reference.md#s2.1): a gzip-compressed pickle of one dict, sample name →
/// {name, gloss, text, length, imgs_path}, plus the optional <c>gloss_spans</c> list of <c>[gloss, start, end]</c>
/// that synthetic datasets add, and the optional <c>keypoints</c> str naming the sample's keypoint file or OpenPose
/// folder relative to the labels file's folder (docs/datasets.md, docs/pose.md#formats). Samples come back in the dict's insertion order, which is the reference's dataset
/// order. Schema problems (missing, unknown or mistyped fields) throw <see cref="DataFormatException"/>; semantic
/// problems (empty text, <c>length</c> ≠ number of paths) are left for <see cref="DatasetChecker"/> to report.
/// Unknown fields are errors, not warnings: a typo in a converter's field name would otherwise silently drop data.
/// Frame paths must stay inside the image root (<see cref="PathsFromData"/>).
/// </summary>
public static class LabelsFileReader
{
    private static readonly HashSet<string> KnownFields = ["name", "gloss", "text", "length", "imgs_path", "gloss_spans", "keypoints"];

    public static IReadOnlyList<SignSample> Read(string path)
    {
        var (root, pickle) = PickleFile.Load(path);
        if (root is not Hashtable table)
            throw new DataFormatException(path, null, null, $"expected a dict of samples, found {PythonType(root)}");

        var keys = new List<string>(table.Count);
        foreach (var key in table.Keys)
            keys.Add(key as string ?? throw new DataFormatException(path, key?.ToString(), null, $"sample key must be a str, found {PythonType(key)}"));

        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var samples = new List<SignSample>(keys.Count);
        foreach (var key in PickleKeyOrder.Order(pickle, keys))
            samples.Add(ReadSample(path, folder, key, table[key]));
        return samples;
    }

    private static SignSample ReadSample(string path, string folder, string key, object? value)
    {
        if (value is not Hashtable fields)
            throw new DataFormatException(path, key, null, $"expected a dict of fields, found {PythonType(value)}");
        foreach (var field in fields.Keys)
            if (field is not string name || !KnownFields.Contains(name))
                throw new DataFormatException(path, key, field?.ToString(),
                    $"unknown field (expected {string.Join(", ", KnownFields)})");

        var sampleName = RequiredString(path, key, fields, "name");
        if (sampleName != key)
            throw new DataFormatException(path, key, "name", $"'{sampleName}' differs from the dict key");
        var gloss = fields.ContainsKey("gloss") ? OptionalString(path, key, fields, "gloss") : null;
        var text = RequiredString(path, key, fields, "text");
        var length = Integer(path, key, "length", Required(path, key, fields, "length"));
        if (length < 0)
            throw new DataFormatException(path, key, "length", $"must not be negative, found {length}");

        if (Required(path, key, fields, "imgs_path") is not IList paths)
            throw new DataFormatException(path, key, "imgs_path", $"expected a list of str, found {PythonType(fields["imgs_path"])}");
        var framePaths = new string[paths.Count];
        for (var i = 0; i < paths.Count; i++)
        {
            framePaths[i] = paths[i] as string
                ?? throw new DataFormatException(path, key, "imgs_path", $"entry {i} must be a str, found {PythonType(paths[i])}");
            // Frame paths are joined to the image root: one that climbs out of it would read any file on the machine.
            if (PathsFromData.Problem(framePaths[i]) is { } problem)
                throw new DataFormatException(path, key, "imgs_path",
                    $"entry {i} '{framePaths[i]}' {problem}; frame paths must be relative to the image root");
        }

        return new SignSample
        {
            Id = key,
            Text = text,
            Gloss = gloss,
            FrameCount = length,
            FramePaths = framePaths,
            GlossSpans = fields.ContainsKey("gloss_spans") ? ReadGlossSpans(path, key, fields["gloss_spans"]) : null,
            KeypointFile = fields.ContainsKey("keypoints") ? ReadKeypointFile(path, folder, key, fields) : null,
        };
    }

    /// <summary>
    /// Relative to the labels file's folder, not to the image root: the image root is about frames and may be set
    /// elsewhere in the config, while a keypoint file belongs with the annotations (docs/datasets.md). Like a frame
    /// path, the name must stay inside its folder.
    /// </summary>
    private static string? ReadKeypointFile(string path, string folder, string key, Hashtable fields)
    {
        if (OptionalString(path, key, fields, "keypoints") is not { } name) return null;
        if (PathsFromData.Problem(name) is { } problem)
            throw new DataFormatException(path, key, "keypoints",
                $"'{name}' {problem}; it names a keypoint file or OpenPose folder relative to the labels file");
        return PathsFromData.Resolve(folder, name, $"{path}: sample '{key}': keypoints");
    }

    private static List<GlossSpan>? ReadGlossSpans(string path, string key, object? value)
    {
        if (value is null) return null;
        if (value is not IList spans)
            throw new DataFormatException(path, key, "gloss_spans", $"expected a list of [gloss, start, end], found {PythonType(value)}");
        var result = new List<GlossSpan>(spans.Count);
        for (var i = 0; i < spans.Count; i++)
        {
            if (spans[i] is not IList { Count: 3 } span || span[0] is not string gloss)
                throw new DataFormatException(path, key, "gloss_spans", $"entry {i} must be [gloss:str, start:int, end:int]");
            var start = Integer(path, key, "gloss_spans", span[1]);
            var end = Integer(path, key, "gloss_spans", span[2]);
            if (start < 0 || end < start)
                throw new DataFormatException(path, key, "gloss_spans", $"entry {i} has an invalid frame range [{start}, {end})");
            result.Add(new GlossSpan(gloss, start, end));
        }
        return result;
    }

    private static object Required(string path, string key, Hashtable fields, string field) =>
        fields.ContainsKey(field) && fields[field] is { } value
            ? value
            : throw new DataFormatException(path, key, field, "missing");

    private static string RequiredString(string path, string key, Hashtable fields, string field) =>
        Required(path, key, fields, field) as string
        ?? throw new DataFormatException(path, key, field, $"expected a str, found {PythonType(fields[field])}");

    private static string? OptionalString(string path, string key, Hashtable fields, string field) => fields[field] switch
    {
        null => null,
        string s => s,
        var other => throw new DataFormatException(path, key, field, $"expected a str or None, found {PythonType(other)}"),
    };

    private static int Integer(string path, string key, string field, object? value) => value switch
    {
        int i => i,
        long l when l is >= int.MinValue and <= int.MaxValue => (int)l,
        _ => throw new DataFormatException(path, key, field, $"expected an int, found {PythonType(value)}"),
    };
}
