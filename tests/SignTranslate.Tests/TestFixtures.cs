namespace SignTranslate.Tests;

/// <summary>
/// Locates the fixtures the tests read: <c>tests/fixtures/testdata/{subfolder}</c> (reference vectors) and
/// <c>tests/fixtures/data/...</c> (real data files), both inside the repository (see <c>tests/fixtures/README.md</c>).
/// An environment variable can point a data-driven test at another folder of the same format instead.
/// </summary>
public static class TestFixtures
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>The fixtures root: <c>testdata/</c> and <c>data/</c> live below it.</summary>
    public static string Root => Path.Combine(RepositoryRoot, "tests", "fixtures");

    /// <summary>The folder named by <paramref name="environmentVariable"/>, else <c>tests/fixtures/testdata/{subfolder}</c>.</summary>
    public static string Folder(string subfolder, string environmentVariable)
    {
        var overridden = Environment.GetEnvironmentVariable(environmentVariable);
        var folder = string.IsNullOrWhiteSpace(overridden)
            ? Path.Combine(Root, "testdata", subfolder)
            : Path.GetFullPath(overridden);
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException(string.IsNullOrWhiteSpace(overridden)
                ? $"Reference vectors not found at {folder}: the repository's tests/fixtures folder is incomplete."
                : $"Reference vectors not found at {folder} (named by {environmentVariable}).");
        return folder;
    }

    /// <summary>A file or folder of <c>tests/fixtures/data</c>; throws with a clear message if absent.</summary>
    public static string DataFile(params string[] relative)
    {
        var path = Path.Combine([Root, "data", .. relative]);
        if (!File.Exists(path) && !Directory.Exists(path))
            throw new FileNotFoundException($"Fixture data not found at {path}: the repository's tests/fixtures folder is incomplete.", path);
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
