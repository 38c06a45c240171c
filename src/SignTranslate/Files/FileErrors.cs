namespace SignTranslate.Files;

/// <summary>Whether a failed file operation was reading or writing: the advice differs.</summary>
public enum FileAccessKind { Read, Write }

/// <summary>
/// Turns what the runtime throws for a file (<see cref="IOException"/>, <see cref="UnauthorizedAccessException"/>,
/// <see cref="OutOfMemoryException"/>) into one line for the user: the file, what is wrong, what to do. Problems of
/// the machine rather than of the input (disk full, quota, read-only file system, memory) say so, so nobody hunts
/// for a bug in their data. Every message is a single line; the CLI prints it and exits 2 (README, "Exit codes").
/// </summary>
public static class FileErrors
{
    // Linux errno values: .NET puts the raw errno into IOException.HResult for errors it has no exception type for.
    private const int LinuxNoSpace = 28, LinuxReadOnlyFileSystem = 30, LinuxQuotaExceeded = 122, LinuxIsDirectory = 21;

    // Windows: HRESULT_FROM_WIN32(ERROR_DISK_FULL / ERROR_HANDLE_DISK_FULL / ERROR_WRITE_PROTECT).
    private const int WindowsDiskFull = unchecked((int)0x80070070), WindowsHandleDiskFull = unchecked((int)0x80070027),
        WindowsWriteProtect = unchecked((int)0x80070013);

    /// <summary>Whether <paramref name="e"/> is a failure of the file system or the machine that <see cref="Explain"/> describes.</summary>
    public static bool IsFileProblem(Exception e) => e is IOException or UnauthorizedAccessException or OutOfMemoryException;

    /// <summary>
    /// The user-facing error for <paramref name="e"/>, thrown while reading or writing <paramref name="path"/>;
    /// <paramref name="what"/> names the file in messages ("file", "configuration file", "hypothesis file").
    /// </summary>
    public static InputException Explain(Exception e, string path, FileAccessKind access, string what = "file") =>
        new($"{path}: {Problem(e, path, access, what)}", e);

    /// <summary>
    /// The same for a failure whose path is unknown (the CLI's last resort): the runtime's own message, which names
    /// the path for file errors, with the advice.
    /// </summary>
    public static string Describe(Exception e) => EnvironmentProblem(e) is { } problem
        ? $"{problem} ({OneLine(e.Message)})"
        : e switch
        {
            UnauthorizedAccessException => $"permission denied: {OneLine(e.Message)}; check the permissions of that path or choose another",
            _ => $"file system error: {OneLine(e.Message)}",
        };

    private static string Problem(Exception e, string path, FileAccessKind access, string what)
    {
        if (EnvironmentProblem(e) is { } environment) return environment;
        var reading = access == FileAccessKind.Read;
        return e switch
        {
            _ when reading && Directory.Exists(path) => $"is a folder, expected a {what}",
            FileNotFoundException or DirectoryNotFoundException when reading => $"{what} not found",
            DirectoryNotFoundException => "its folder does not exist; create the folder first or choose another path",
            UnauthorizedAccessException when !reading && Directory.Exists(path) => "is a folder, so no file can be written under this name; choose another path",
            UnauthorizedAccessException => reading
                ? $"permission denied reading the {what}; check its permissions"
                : "permission denied, cannot write here; choose a folder you can write to or fix its permissions",
            IOException when e.HResult == LinuxIsDirectory && !OperatingSystem.IsWindows() => $"is a folder, expected a {what}",
            _ => $"cannot {(reading ? "read" : "write")} the {what}: {OneLine(e.Message)}",
        };
    }

    /// <summary>Problems of the machine, not of the input: full disk, exceeded quota, read-only file system, memory.</summary>
    public static string? EnvironmentProblem(Exception e)
    {
        if (e is OutOfMemoryException)
            return "not enough memory (the machine ran out; use a smaller input or free memory)";
        if (e is not IOException) return null;
        if (OperatingSystem.IsWindows())
            return e.HResult switch
            {
                WindowsDiskFull or WindowsHandleDiskFull => "the disk is full; free some space or write to another disk",
                WindowsWriteProtect => "the disk is write-protected; write to another disk",
                _ => null,
            };
        return e.HResult switch
        {
            LinuxNoSpace => "the disk is full; free some space or write to another disk",
            LinuxQuotaExceeded => "the disk quota is exceeded; free some space or write to another disk",
            LinuxReadOnlyFileSystem => "the file system is read-only; write to another folder",
            _ => null,
        };
    }

    // Runtime messages end in a period; the advice follows after a semicolon.
    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim().TrimEnd('.');
}
