using System.Globalization;
using SignTranslate.Data;
using SignTranslate.Text;

namespace SignTranslate.Metrics;

/// <summary>
/// Gloss frame spans of real videos for the sign density ratio (<c>slt density --alignment FILE</c>), e.g. from a
/// CTC forced aligner as in the paper (docs/reference.md#s8). UTF-8 text, one gloss occurrence per line, four
/// tab-separated fields:
/// <code>
/// sample_id	gloss	start	end
/// </code>
/// <c>sample_id</c> is the dataset's sample id (the labels file key, e.g. <c>test/25October_2010_Monday_tagesschau-17</c>);
/// <c>start</c> and <c>end</c> are 0-based frame indices of the original video, <c>end</c> exclusive (as the
/// labels files' <c>gloss_spans</c>). Blank lines and lines starting with <c>#</c> are ignored; a sample's spans keep
/// the order of their lines.
/// </summary>
public static class GlossAlignmentFile
{
    /// <exception cref="InputException">The file is missing or a line is malformed (file and line are named).</exception>
    public static IReadOnlyDictionary<string, IReadOnlyList<GlossSpan>> Read(string path)
    {
        if (!File.Exists(path))
            throw new InputException($"{path}: alignment file not found");
        var spans = new Dictionary<string, List<GlossSpan>>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var line in Utf8LineFile.Read(path))
        {
            lineNumber++;
            var text = line.TrimEnd('\r');
            if (text.Length == 0 || text.StartsWith('#'))
                continue;
            var fields = text.Split('\t');
            if (fields.Length != 4)
                throw new InputException(
                    $"{path}:{lineNumber}: expected 4 tab-separated fields (sample_id, gloss, start, end), got {fields.Length}");
            if (fields[0].Length == 0 || fields[1].Length == 0)
                throw new InputException($"{path}:{lineNumber}: empty sample id or gloss");
            var start = Frame(fields[2], "start", path, lineNumber);
            var end = Frame(fields[3], "end", path, lineNumber);
            if (end <= start)
                throw new InputException($"{path}:{lineNumber}: end ({end}) must be greater than start ({start}); spans are [start, end)");
            if (!spans.TryGetValue(fields[0], out var list))
                spans[fields[0]] = list = [];
            list.Add(new GlossSpan(fields[1], start, end));
        }
        if (spans.Count == 0)
            throw new InputException($"{path}: no gloss spans");
        return spans.ToDictionary(pair => pair.Key, pair => (IReadOnlyList<GlossSpan>)pair.Value, StringComparer.Ordinal);
    }

    private static int Frame(string field, string name, string path, int lineNumber) =>
        int.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new InputException($"{path}:{lineNumber}: {name} must be a non-negative integer frame index, got '{field}'");
}
