using System.Text;

namespace SignTranslate.Text;

/// <summary>
/// Reads a text file as lines the way Python iterates a file opened with <c>newline="\n"</c>, minus the newline:
/// lines end at LF only; a final line without a newline is a line; a file ending in a newline has no extra empty
/// line; an empty file has no lines. Choices beyond Python: one CR directly before each LF is removed too (CRLF
/// files score as their LF copies; a lone CR stays in the text) and a UTF-8 byte order mark at the start is
/// dropped. Decoding is strict: invalid UTF-8 is an error naming the line.
/// </summary>
public static class Utf8LineFile
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <exception cref="InputException">Missing or unreadable file, or invalid UTF-8.</exception>
    public static IReadOnlyList<string> Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new InputException($"{path}: file not found");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"{path}: cannot read the file ({e.Message})");
        }
        return SplitLines(bytes, path);
    }

    /// <summary>Splits and strictly decodes file contents; <paramref name="name"/> is used in error messages.</summary>
    public static IReadOnlyList<string> SplitLines(ReadOnlySpan<byte> bytes, string name)
    {
        if (bytes.StartsWith("\uFEFF"u8))
            bytes = bytes[3..];
        var lines = new List<string>();
        while (!bytes.IsEmpty)
        {
            var newline = bytes.IndexOf((byte)'\n');
            var line = newline < 0 ? bytes : bytes[..newline];
            bytes = newline < 0 ? [] : bytes[(newline + 1)..];
            if (newline >= 0 && line.EndsWith("\r"u8))
                line = line[..^1];
            try
            {
                lines.Add(StrictUtf8.GetString(line));
            }
            catch (DecoderFallbackException)
            {
                throw new InputException($"{name}: line {lines.Count + 1} is not valid UTF-8");
            }
        }
        return lines;
    }

    /// <summary>Writes one line per item, UTF-8 without BOM, each ending in a newline.</summary>
    public static void WriteLines(string path, IEnumerable<string> lines) =>
        File.WriteAllText(path, string.Concat(lines.Select(l => l + "\n")), new System.Text.UTF8Encoding(false));
}
