namespace SignTranslate.Files;

/// <summary>
/// Checks, before any long work, that a command will be able to write its results: a command that translates a
/// whole split for minutes must not fail only when it saves the report.
/// </summary>
public static class OutputFolder
{
    /// <summary>
    /// Creates <paramref name="folder"/> if needed and proves that a file can be created in it (by creating and
    /// deleting an empty probe file: permissions alone do not tell, e.g. for root or a read-only mount).
    /// </summary>
    /// <param name="option">The option that named the folder, for the message: "--out".</param>
    /// <exception cref="InputException">The folder cannot be created or written to.</exception>
    public static void EnsureWritable(string folder, string option)
    {
        if (File.Exists(folder))
            throw new InputException($"{folder}: {option} names a file, expected a folder");
        var probe = Path.Combine(folder, $".slt-write-test-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(folder);
            using (File.Create(probe, 1, FileOptions.DeleteOnClose)) { }
        }
        catch (Exception e) when (FileErrors.IsFileProblem(e))
        {
            var problem = FileErrors.EnvironmentProblem(e) ?? (e is UnauthorizedAccessException
                ? "permission denied; choose another folder or fix its permissions"
                : $"{e.Message.ReplaceLineEndings(" ").Trim()}; choose another folder");
            throw new InputException($"{folder}: cannot write into this folder ({option}), checked before starting: {problem}", e);
        }
    }

    /// <summary>The same for the folder a single output file goes into.</summary>
    public static void EnsureWritableFor(string file, string option) =>
        EnsureWritable(Path.GetDirectoryName(Path.GetFullPath(file))!, option);
}
