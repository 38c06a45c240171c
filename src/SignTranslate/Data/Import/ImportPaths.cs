using SignTranslate.Files;

namespace SignTranslate.Data.Import;

/// <summary>
/// Turns the full path of a video file or frame folder into the manifest's <c>video</c> field. A manifest names its
/// videos relative to its own folder and inside it (<see cref="Manifests.ManifestReader"/> refuses anything else), so
/// the manifests must be written in a folder that holds the videos; a video outside it is reported before anything is
/// written, with the folder that would work.
/// </summary>
public static class ImportPaths
{
    /// <summary>Checks, before any row is read, that <paramref name="folder"/> (a videos or frames folder) lies in <paramref name="outFolder"/>.</summary>
    /// <param name="option">The command-line option that named <paramref name="folder"/>, for the message.</param>
    /// <exception cref="InputException">The folder is outside the output folder.</exception>
    public static void RequireInside(string outFolder, string folder, string option)
    {
        if (Relative(outFolder, folder) is null)
            throw new InputException(
                $"{option} {Path.GetFullPath(folder)} is outside --out {Path.GetFullPath(outFolder)}: a manifest can only name videos and frames " +
                $"in its own folder or below, so write the manifests into a folder that holds them, e.g. --out {CommonAncestor(outFolder, folder)} " +
                "(the videos stay where they are)");
    }

    /// <summary>A field that becomes a video's file name (How2Sign's SENTENCE_NAME, OpenASL's yid): one safe path segment.</summary>
    /// <exception cref="DataFormatException">The name is empty, has a '/', '..', '\\', control characters or is absolute.</exception>
    public static string VideoName(Manifests.DelimitedRow row, string column)
    {
        var name = row[column];
        if (PathsFromData.Problem(name, singleSegment: true) is { } problem)
            throw row.Problem(column, $"'{name}' {problem}; it names a video file");
        return name;
    }

    /// <summary>The manifest's '/'-separated path of <paramref name="fullPath"/> relative to <paramref name="outFolder"/>.</summary>
    /// <exception cref="InputException">The path is outside the output folder.</exception>
    public static string ManifestPath(string outFolder, string fullPath, string describe) =>
        Relative(outFolder, fullPath)
        ?? throw new InputException($"{describe}: {fullPath} is outside --out {Path.GetFullPath(outFolder)}; manifests can only name files in their own folder or below");

    /// <summary>The relative path, '/'-separated, or null when <paramref name="path"/> is not inside <paramref name="outFolder"/>.</summary>
    private static string? Relative(string outFolder, string path)
    {
        var relative = Path.GetRelativePath(Path.GetFullPath(outFolder), Path.GetFullPath(path));
        if (relative == ".") return ".";
        if (Path.IsPathRooted(relative) || relative == ".." || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            return null;
        relative = relative.Replace(Path.DirectorySeparatorChar, '/');
        return PathsFromData.Problem(relative) is null ? relative : null;
    }

    /// <summary>The deepest folder holding both paths: where --out can go so that the videos are inside it.</summary>
    public static string CommonAncestor(string a, string b)
    {
        var x = Path.GetFullPath(a).TrimEnd(Path.DirectorySeparatorChar).Split(Path.DirectorySeparatorChar);
        var y = Path.GetFullPath(b).TrimEnd(Path.DirectorySeparatorChar).Split(Path.DirectorySeparatorChar);
        var n = 0;
        while (n < x.Length && n < y.Length && x[n] == y[n]) n++;
        var common = string.Join(Path.DirectorySeparatorChar, x[..n]);
        return common.Length == 0 ? Path.GetPathRoot(Path.GetFullPath(a))! : common;
    }
}
