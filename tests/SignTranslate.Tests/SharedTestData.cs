namespace SignTranslate.Tests;

/// <summary>
/// Locates the reference vectors in the shared folder that sits beside the repository (<c>../shared</c>), or in the
/// folder an environment variable names, so the same data-driven tests can run against another folder of the same
/// format.
/// </summary>
public static class SharedTestData
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>The folder named by <paramref name="environmentVariable"/>, else <c>../shared/testdata/{subfolder}</c>.</summary>
    public static string Folder(string subfolder, string environmentVariable)
    {
        var overridden = Environment.GetEnvironmentVariable(environmentVariable);
        var folder = string.IsNullOrWhiteSpace(overridden)
            ? Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "testdata", subfolder))
            : Path.GetFullPath(overridden);
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException(
                $"Reference vectors not found at {folder}. Put the shared folder beside the repository or set {environmentVariable}.");
        return folder;
    }

    /// <summary>A file of the shared data folder (<c>../shared/data/...</c>); throws with a clear message if absent.</summary>
    public static string DataFile(params string[] relative)
    {
        var path = Path.GetFullPath(Path.Combine([RepositoryRoot, "..", "shared", "data", .. relative]));
        if (!File.Exists(path) && !Directory.Exists(path))
            throw new FileNotFoundException($"Shared data not found at {path}. Put the shared folder beside the repository.", path);
        return path;
    }

    /// <summary>Every <c>*.json</c> file name in the folder, sorted, one theory row each (the display name shows it).</summary>
    public static TheoryData<string> JsonCases(string subfolder, string environmentVariable)
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Folder(subfolder, environmentVariable), "*.json").Order(StringComparer.Ordinal))
            data.Add(Path.GetFileName(file));
        return data;
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "SignTranslate.sln")))
                return dir.FullName;
        throw new InvalidOperationException($"SignTranslate.sln not found above {AppContext.BaseDirectory}.");
    }
}
