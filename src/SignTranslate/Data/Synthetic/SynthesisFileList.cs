using SignTranslate.Files;
using SignTranslate.Text;

namespace SignTranslate.Data.Synthetic;

/// <summary>
/// <c>synthetic-files.txt</c>: every file <c>slt synth</c> wrote into a dataset folder, one path relative to it per
/// line. It is what <c>--force</c> may remove, and all it may remove: files the user added to the folder are not on
/// it and stay. Its presence also marks the folder as an earlier synthetic dataset.
/// </summary>
public static class SynthesisFileList
{
    public const string FileName = "synthetic-files.txt";

    public static bool ExistsIn(string folder) => File.Exists(Path.Combine(folder, FileName));

    /// <summary>The listed paths; each is checked to stay inside <paramref name="folder"/>, since the list is a file anyone can edit.</summary>
    /// <exception cref="InputException">Unreadable list, or an entry that is not a relative path inside the folder.</exception>
    public static HashSet<string> Read(string folder)
    {
        var path = Path.Combine(folder, FileName);
        var files = new HashSet<string>(StringComparer.Ordinal);
        var lines = Utf8LineFile.Read(path);
        for (var i = 0; i < lines.Count; i++)
        {
            if (PathsFromData.Problem(lines[i]) is { } problem)
                throw new InputException(
                    $"{path}:{i + 1}: '{lines[i]}' {problem}; slt synth writes only relative paths here, so --force will not act on this list — remove the folder yourself or choose another --out");
            files.Add(lines[i]);
        }
        return files;
    }

    /// <summary>Replaces the list in one rename, so it is never half written.</summary>
    public static void Write(string folder, IEnumerable<string> files)
    {
        var path = Path.Combine(folder, FileName);
        var partial = path + ".partial";
        Utf8LineFile.WriteLines(partial, files.Order(StringComparer.Ordinal));
        UserFiles.Write(path, p => File.Move(partial, p, overwrite: true));
    }
}
