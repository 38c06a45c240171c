using System.Collections;
using SignTranslate.Files;
using static SignTranslate.Data.PickleFile;

namespace SignTranslate.Data;

/// <summary>
/// Reads the official CSL-Daily release: <c>sentence_label/csl2020ct_v2.pkl</c>, a (plain) pickle dict whose
/// <c>info</c> list holds one dict per video (<c>name</c>, <c>length</c>, <c>label_char</c>, <c>label_word</c>,
/// <c>label_gloss</c>, plus fields not used here such as <c>label_postag</c>, <c>signer</c>, <c>time</c>), and the split
/// list <c>sentence_label/split_1.txt</c> (<c>name|split</c> lines after a header). Frames are the image files of
/// <c>&lt;image root&gt;/&lt;name&gt;/</c> (the release's <c>sentence/frames_512x512</c>) in ordinal order. Text is
/// character level: the characters of <c>label_char</c> joined without spaces, which the <c>characters</c>
/// tokenizer and the <c>zh</c> BLEU tokenisation split again. Sample ids are <c>&lt;split&gt;/&lt;name&gt;</c>.
/// </summary>
public static class CslDailyReader
{

    public static IReadOnlyList<SignSample> Read(string annotationPath, string splitListPath, string imageRoot, Split split)
    {
        var wanted = ReadSplitList(splitListPath, split);
        var (root, _) = Load(annotationPath);
        if (root is not Hashtable table || table["info"] is not IList info)
            throw new DataFormatException(annotationPath, null, "info", "expected a dict with an 'info' list of videos");

        var splitName = split.ToString().ToLowerInvariant();
        var samples = new List<SignSample>();
        for (var i = 0; i < info.Count; i++)
        {
            if (info[i] is not Hashtable video || video["name"] is not string name)
                throw new DataFormatException(annotationPath, $"info[{i}]", "name", "expected a dict with a str 'name'");
            if (!wanted.Contains(name)) continue;
            // The name is a folder under the image root: it must not climb out of it.
            if (PathsFromData.Problem(name, singleSegment: true) is { } problem)
                throw new DataFormatException(annotationPath, name, "name", $"{problem}; it names the video's frame folder");
            var characters = Strings(annotationPath, name, video, "label_char");
            var glosses = video.ContainsKey("label_gloss") ? Strings(annotationPath, name, video, "label_gloss") : null;
            var length = video["length"] switch
            {
                int n => n,
                long n => (int)n,
                var other => throw new DataFormatException(annotationPath, name, "length", $"expected an int, found {PythonType(other)}"),
            };
            var folder = Path.Combine(imageRoot, name);
            var framePaths = Directory.Exists(folder)
                ? MediaFiles.FramesIn(folder).Select(f => $"{name}/{Path.GetFileName(f)}").ToArray()
                : [];
            samples.Add(new SignSample
            {
                Id = $"{splitName}/{name}",
                Text = string.Concat(characters),
                Gloss = glosses is null ? null : string.Join(' ', glosses),
                FrameCount = length,
                FramePaths = framePaths,
            });
        }
        return samples;
    }

    /// <summary>Names of the videos of <paramref name="split"/> (the file calls the development split <c>dev</c>).</summary>
    private static HashSet<string> ReadSplitList(string path, Split split)
    {
        if (!File.Exists(path))
            throw new DataFormatException(path, null, null, "split list not found (data.split_list)");
        var splitName = split.ToString().ToLowerInvariant();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var line in UserFiles.Read(path, "split list", File.ReadAllLines))
        {
            lineNumber++;
            if (line.Length == 0 || (lineNumber == 1 && line.StartsWith("name|", StringComparison.Ordinal))) continue;
            var fields = line.Split('|');
            if (fields.Length != 2)
                throw new DataFormatException(path, lineNumber, null, "expected 'name|split'");
            if (fields[1].Trim() == splitName) names.Add(fields[0].Trim());
        }
        return names;
    }

    private static List<string> Strings(string path, string name, Hashtable video, string field)
    {
        if (video[field] is not IList list)
            throw new DataFormatException(path, name, field, $"expected a list of str, found {PythonType(video[field])}");
        return list.Cast<object?>().Select((item, k) => item as string
            ?? throw new DataFormatException(path, name, field, $"entry {k} must be a str, found {PythonType(item)}")).ToList();
    }
}
