namespace SignTranslate.Files;

/// <summary>
/// Names read from data files (sample names, frame paths, folder names in labels, CSV or pickle files) that become
/// paths under a root folder. Such a name is text someone else wrote: <c>../../x</c> or <c>/etc/x</c> would read or
/// write outside the root, so a name must be relative, use <c>/</c> between folders, and have no empty, <c>.</c> or
/// <c>..</c> segment. Sample names may hold <c>/</c> because the labels files name samples
/// <c>&lt;split&gt;/&lt;video&gt;</c> (docs/reference.md#s2.1); names that must be one folder use
/// <c>singleSegment</c>.
/// </summary>
public static class PathsFromData
{
    /// <summary>What is wrong with <paramref name="name"/> as a path under a root, or null when it is fine.</summary>
    /// <param name="singleSegment">true: the name must be one file or folder name, without any <c>/</c>.</param>
    public static string? Problem(string name, bool singleSegment = false)
    {
        if (name.Length == 0) return "is empty";
        if (name.Any(char.IsControl)) return "contains a control character";
        if (name.Contains('\\')) return "contains '\\'; only '/' may separate folders";
        if (name.StartsWith('/') || Path.IsPathRooted(name)) return "is an absolute path; it must be relative";
        if (singleSegment && name.Contains('/')) return "contains '/'; it must be a single file or folder name";
        foreach (var segment in name.Split('/'))
        {
            if (segment == "..") return "contains a '..' segment, which would leave the folder it belongs in";
            if (segment is "" or ".") return "contains an empty or '.' segment ('//', './' or a '/' at either end)";
        }
        return null;
    }

    /// <summary>
    /// <paramref name="root"/>/<paramref name="name"/> as a full path, after checking that it stays under
    /// <paramref name="root"/> (a second line of defence behind <see cref="Problem"/>, which every reader applies).
    /// </summary>
    /// <param name="describe">Where the name came from, for the message (e.g. "labels.train: sample 'x'").</param>
    /// <exception cref="InputException">The name is not a safe relative path under the root.</exception>
    public static string Resolve(string root, string name, string describe)
    {
        if (Problem(name) is { } problem)
            throw new InputException($"{describe}: path '{name}' {problem}");
        var fullRoot = Path.GetFullPath(root);
        var prefix = Path.EndsInDirectorySeparator(fullRoot) ? fullRoot : fullRoot + Path.DirectorySeparatorChar;
        var full = Path.GetFullPath(Path.Combine(fullRoot, name));
        if (!full.StartsWith(prefix, StringComparison.Ordinal))
            throw new InputException($"{describe}: path '{name}' resolves to {full}, outside {fullRoot}");
        return full;
    }
}
