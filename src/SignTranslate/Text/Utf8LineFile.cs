using System.Text;
using SignTranslate.Files;

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
    /// <summary>
    /// The longest line read, in bytes (1 MiB): thousands of times a sentence, and a bound on memory, so a huge file
    /// without newlines (a binary, a JSON dump) is an error naming it rather than an out-of-memory crash.
    /// </summary>
    public const int MaxLineBytes = 1 << 20;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <exception cref="InputException">Missing or unreadable file, a folder, a line over <see cref="MaxLineBytes"/>, or invalid UTF-8.</exception>
    public static IReadOnlyList<string> Read(string path)
    {
        using var stream = UserFiles.OpenRead(path);
        return UserFiles.Read(path, "file", _ => ReadLines(stream, path));
    }

    /// <summary>Splits and strictly decodes file contents; <paramref name="name"/> is used in error messages.</summary>
    public static IReadOnlyList<string> SplitLines(ReadOnlySpan<byte> bytes, string name) =>
        ReadLines(new MemoryStream(bytes.ToArray(), writable: false), name);

    /// <summary>
    /// Reads lines from <paramref name="stream"/> a block at a time, so memory follows the text kept, and a line
    /// longer than <paramref name="maxLineBytes"/> stops the reading.
    /// </summary>
    public static IReadOnlyList<string> ReadLines(Stream stream, string name, int maxLineBytes = MaxLineBytes)
    {
        var lines = new List<string>();
        var line = new MemoryStream();
        var block = new byte[64 * 1024];
        int count;
        while ((count = stream.Read(block, 0, block.Length)) > 0)
        {
            var rest = block.AsSpan(0, count);
            while (!rest.IsEmpty)
            {
                var newline = rest.IndexOf((byte)'\n');
                var part = newline < 0 ? rest : rest[..newline];
                if (line.Length + part.Length > maxLineBytes)
                    throw new InputException(
                        $"{name}: line {lines.Count + 1} is longer than {maxLineBytes} bytes, the most slt reads as one line; expected a text file with one segment per line");
                line.Write(part);
                if (newline < 0) break;
                rest = rest[(newline + 1)..];
                lines.Add(Decode(line, lines, name, endedByNewline: true));
                line.SetLength(0);
            }
        }
        // The last line without a newline is a line, unless it was only the byte order mark.
        if (line.Length > 0 && Decode(line, lines, name, endedByNewline: false) is { Length: > 0 } last)
            lines.Add(last);
        return lines;
    }

    private static string Decode(MemoryStream line, List<string> earlier, string name, bool endedByNewline)
    {
        var bytes = line.GetBuffer().AsSpan(0, (int)line.Length);
        if (earlier.Count == 0 && bytes.StartsWith("\uFEFF"u8))
            bytes = bytes[3..];
        if (endedByNewline && bytes.EndsWith("\r"u8))
            bytes = bytes[..^1];
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new InputException($"{name}: line {earlier.Count + 1} is not valid UTF-8");
        }
    }

    /// <summary>Writes one line per item, UTF-8 without BOM, each ending in a newline.</summary>
    public static void WriteLines(string path, IEnumerable<string> lines) =>
        UserFiles.WriteAllText(path, string.Concat(lines.Select(l => l + "\n")));
}
