using System.Globalization;
using CsvHelper;
using SignTranslate.Files;

namespace SignTranslate.Data.Manifests;

/// <summary>One data row of a delimited text file: its line number and its fields by column name.</summary>
public sealed class DelimitedRow(string file, int line, IReadOnlyDictionary<string, string> fields)
{
    public string File { get; } = file;
    public int Line { get; } = line;

    /// <summary>The field of <paramref name="column"/>, trimmed; "" when the file has no such column.</summary>
    public string this[string column] => fields.TryGetValue(column, out var value) ? value.Trim() : "";

    /// <summary>The field of <paramref name="column"/> as seconds: a number ≥ 0 with '.' as decimal point.</summary>
    /// <param name="optional">true: an empty field is allowed and gives null.</param>
    /// <exception cref="DataFormatException">Not such a number (or empty when required).</exception>
    public double? Seconds(string column, bool optional)
    {
        var text = this[column];
        if (optional && text.Length == 0) return null;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || !double.IsFinite(seconds) || seconds < 0)
            throw Problem(column, $"expected seconds (a number ≥ 0, '.' as decimal point){(optional ? " or nothing" : "")}, found '{text}'");
        return seconds;
    }

    /// <summary>A format problem at this row, naming the file, the line and the column.</summary>
    public DataFormatException Problem(string? column, string problem) => new(File, Line, column, problem);
}

/// <summary>
/// Reads tab- or comma-separated text files with a header line (manifests, How2Sign's CSV, OpenASL's TSV) through
/// CsvHelper. The separator is the header's: a tab if it has one (then quotes are ordinary characters, as in
/// How2Sign's files, which are tab-separated despite their .csv name), else a comma with RFC 4180 quoting. Every
/// problem names the file and the line.
/// </summary>
public static class DelimitedFile
{
    /// <summary>The header's column names, then every non-blank row.</summary>
    /// <param name="required">Columns that must be present.</param>
    /// <param name="optional">Further columns allowed; null: any further columns are allowed (and ignored).</param>
    /// <exception cref="DataFormatException">The file is missing or empty, a required column is absent, an unknown
    /// column is present, or a row has the wrong number of fields.</exception>
    public static (IReadOnlyList<string> Header, List<DelimitedRow> Rows) Read(string path, IReadOnlyCollection<string> required,
        IReadOnlyCollection<string>? optional)
    {
        if (!File.Exists(path))
            throw new DataFormatException(path, null, null, Directory.Exists(path) ? "is a folder, not a file" : "file not found");
        using var stream = UserFiles.OpenRead(path, "table");
        using var text = new StreamReader(stream, detectEncodingFromByteOrderMarks: true);
        var firstLine = text.ReadLine();
        if (string.IsNullOrWhiteSpace(firstLine))
            throw new DataFormatException(path, 1, null, $"expected a header line naming the columns ({string.Join(", ", required)}, ...)");
        var tab = firstLine.Contains('\t');
        stream.Position = 0;
        text.DiscardBufferedData();

        var options = new CsvReaderOptions
        {
            Separator = tab ? '\t' : ',',
            Mode = tab ? CsvMode.NoEscape : CsvMode.Rfc4180,
            HasHeader = true,
            SkipEmptyLines = true,
            TrackLineNumbers = true,
            MalformedData = CsvMalformedDataHandling.Throw,
            FieldCountMismatch = CsvFieldCountHandling.Allow,
        };
        try
        {
            using var csv = CsvReader.Create(text, options, true);
            csv.ReadHeader();
            var header = csv.Headers.Select(h => h.Trim()).ToArray();
            CheckHeader(path, header, required, optional);
            var rows = new List<DelimitedRow>();
            while (csv.Read())
            {
                var line = (int)csv.LineNumber;
                var record = Enumerable.Range(0, csv.FieldCount).Select(csv.GetString).ToArray();
                if (record.All(string.IsNullOrWhiteSpace)) continue;
                if (record.Length != header.Length)
                    throw new DataFormatException(path, line, null,
                        $"expected {header.Length} {(tab ? "tab" : "comma")}-separated fields ({string.Join(", ", header)}), found {record.Length}");
                var fields = new Dictionary<string, string>(StringComparer.Ordinal);
                for (var i = 0; i < header.Length; i++) fields[header[i]] = record[i];
                rows.Add(new DelimitedRow(path, line, fields));
            }
            return (header, rows);
        }
        catch (CsvFormatException e)
        {
            throw new DataFormatException(path, (int)e.LineNumber, null, $"malformed line ({e.Message.TrimEnd('.')}; an unbalanced quote?)");
        }
        catch (Exception e) when (FileErrors.IsFileProblem(e))
        {
            throw FileErrors.Explain(e, path, FileAccessKind.Read, "table");
        }
    }

    private static void CheckHeader(string path, string[] header, IReadOnlyCollection<string> required, IReadOnlyCollection<string>? optional)
    {
        var missing = required.Where(c => !header.Contains(c, StringComparer.Ordinal)).ToList();
        if (missing.Count > 0)
            throw new DataFormatException(path, 1, null,
                $"the header lacks the column{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing)} (found: {string.Join(", ", header)})");
        if (optional is not null)
            foreach (var column in header)
                if (!required.Contains(column) && !optional.Contains(column))
                    throw new DataFormatException(path, 1, column,
                        $"unknown column; the columns are {string.Join(", ", required)} and optionally {string.Join(", ", optional)}");
        var duplicate = header.GroupBy(h => h).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new DataFormatException(path, 1, duplicate.Key, "the column appears twice");
    }
}
