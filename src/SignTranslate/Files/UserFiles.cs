using System.Text;

namespace SignTranslate.Files;

/// <summary>
/// The way commands read and write the user's files: the same calls as <see cref="File"/>, but every failure of the
/// file system or the machine comes out as one <see cref="InputException"/> line naming the file
/// (<see cref="FileErrors"/>), never as a stack trace.
/// </summary>
public static class UserFiles
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <param name="what">What the file is, for messages: "configuration file", "labels file".</param>
    public static byte[] ReadAllBytes(string path, string what = "file") => Read(path, what, File.ReadAllBytes);

    public static string ReadAllText(string path, string what = "file") => Read(path, what, File.ReadAllText);

    /// <summary>Opens a file for reading; read errors after opening still need <see cref="Read{T}"/> around them.</summary>
    public static FileStream OpenRead(string path, string what = "file") => Read(path, what, File.OpenRead);

    /// <summary>Runs <paramref name="read"/> on <paramref name="path"/>, turning file-system failures into one-line errors.</summary>
    public static T Read<T>(string path, string what, Func<string, T> read)
    {
        try
        {
            return read(path);
        }
        catch (Exception e) when (FileErrors.IsFileProblem(e))
        {
            throw FileErrors.Explain(e, path, FileAccessKind.Read, what);
        }
    }

    /// <summary>Writes UTF-8 text without a byte order mark.</summary>
    public static void WriteAllText(string path, string text) => Write(path, p => File.WriteAllText(p, text, Utf8));

    public static void WriteAllBytes(string path, byte[] bytes) => Write(path, p => File.WriteAllBytes(p, bytes));

    /// <summary>Runs <paramref name="write"/> on <paramref name="path"/> (e.g. a library's own save call), turning file-system failures into one-line errors.</summary>
    public static void Write(string path, Action<string> write)
    {
        try
        {
            write(path);
        }
        catch (Exception e) when (FileErrors.IsFileProblem(e))
        {
            throw FileErrors.Explain(e, path, FileAccessKind.Write);
        }
    }

    /// <summary>Creates a folder (and its parents) to write into.</summary>
    public static void CreateDirectory(string path) => Write(path, p => Directory.CreateDirectory(p));
}
