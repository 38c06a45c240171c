namespace SignTranslate.Data.Import;

/// <summary>
/// Collects the rows whose video file or frame folder is absent. Downloaded corpora often lack some videos (YouTube
/// takes videos down; How2Sign's release lacks a few clips), and silently training on fewer samples than the paper
/// would skew comparisons, so an import with missing videos fails unless the user asked to skip them.
/// </summary>
public sealed class MissingVideos(bool skip, string option = "--skip-missing")
{
    private const int Shown = 5;
    private readonly List<string> _missing = [];

    /// <summary>Notes that the row at <paramref name="where"/> names the absent <paramref name="path"/>.</summary>
    public void Add(string where, string path) => _missing.Add($"{where}: {path}");

    /// <summary>The rows that were left out (empty unless skipping).</summary>
    public IReadOnlyList<string> Skipped => skip ? _missing : [];

    /// <exception cref="InputException">Videos are missing and skipping was not asked for.</exception>
    public void ThrowUnlessSkipped(string what)
    {
        if (_missing.Count == 0 || skip) return;
        throw new InputException(
            $"{_missing.Count} {what}{(_missing.Count == 1 ? " is" : "s are")} missing (first: {string.Join("; ", _missing.Take(Shown))}" +
            $"{(_missing.Count > Shown ? "; ..." : "")}); fetch them, or pass {option} to leave those rows out of the manifests");
    }

    /// <summary>A one-line summary for the report, e.g. "3 missing videos skipped, first: ...".</summary>
    public static string Describe(IReadOnlyList<string> skipped, string what) =>
        $"{skipped.Count} {what}{(skipped.Count == 1 ? "" : "s")} missing, rows skipped (first: {string.Join("; ", skipped.Take(Shown))}{(skipped.Count > Shown ? "; ..." : "")})";
}
