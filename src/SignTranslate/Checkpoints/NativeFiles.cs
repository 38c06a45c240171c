using System.Runtime.InteropServices;

namespace SignTranslate.Checkpoints;

/// <summary>
/// The two POSIX calls .NET does not offer: fsync of a directory (so that a rename inside it survives a power cut), and
/// rename(2) of a symbolic link over another (File.Move refuses links to directories; rename replaces the link in one
/// step, which is what makes switching <c>last</c> atomic). On Windows, which has neither, both degrade to best effort.
/// </summary>
internal static class NativeFiles
{
    private const int ReadOnly = 0;

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open(string path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int Fsync(int descriptor);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int descriptor);

    [DllImport("libc", EntryPoint = "rename", SetLastError = true)]
    private static extern int Rename(string from, string to);

    /// <summary>Flushes a file's or a directory's data and metadata to the disk.</summary>
    public static void Sync(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            if (File.Exists(path))
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
                stream.Flush(flushToDisk: true);
            }
            return;
        }
        var descriptor = Open(path, ReadOnly);
        if (descriptor < 0) throw Failure("open", path);
        try
        {
            if (Fsync(descriptor) != 0) throw Failure("fsync", path);
        }
        finally
        {
            Close(descriptor);
        }
    }

    /// <summary>Renames <paramref name="from"/> to <paramref name="to"/>, atomically replacing a file or link there.</summary>
    public static void Replace(string from, string to)
    {
        if (OperatingSystem.IsWindows())
        {
            if (new FileInfo(from).LinkTarget is null)
            {
                File.Move(from, to, overwrite: true);
                return;
            }
            if (new FileInfo(to).LinkTarget is not null) Directory.Delete(to);
            Directory.Move(from, to);
            return;
        }
        if (Rename(from, to) != 0) throw Failure("rename", $"{from} -> {to}");
    }

    private static IOException Failure(string call, string path) =>
        new($"{call} {path}: {Marshal.GetLastPInvokeErrorMessage()}", Marshal.GetLastPInvokeError());
}
