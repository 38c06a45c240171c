using SignTranslate.Files;

namespace SignTranslate.Data.Synthetic;

/// <summary>
/// Replaces a dataset inside a folder that may also hold the user's own files: removes exactly the listed files of
/// the earlier dataset, then moves the new one in, merging folders that exist on both sides.
/// </summary>
internal static class DatasetFolderSwap
{
    /// <summary>
    /// Deletes <paramref name="files"/> (relative to <paramref name="folder"/>) and then every folder that this left
    /// empty; folders that still hold anything stay.
    /// </summary>
    public static void RemoveFiles(string folder, IEnumerable<string> files)
    {
        var parents = new HashSet<string>(StringComparer.Ordinal);
        foreach (var relative in files)
        {
            var path = PathsFromData.Resolve(folder, relative, Path.Combine(folder, SynthesisFileList.FileName));
            UserFiles.Write(path, File.Delete);
            for (var parent = Path.GetDirectoryName(path); parent is not null && parent.Length > folder.Length; parent = Path.GetDirectoryName(parent))
                parents.Add(parent);
        }
        // Deepest first, so a folder whose only content was an emptied sub-folder goes too.
        foreach (var parent in parents.OrderByDescending(p => p.Length))
            if (Directory.Exists(parent) && !Directory.EnumerateFileSystemEntries(parent).Any())
                UserFiles.Write(parent, p => Directory.Delete(p));
    }

    /// <summary>
    /// Moves the content of <paramref name="source"/> into <paramref name="destination"/>: a folder missing there
    /// moves in one rename, one present on both sides is merged, files replace files of the same name.
    /// </summary>
    public static void MoveInto(string source, string destination)
    {
        foreach (var folder in Directory.GetDirectories(source))
        {
            var to = Path.Combine(destination, Path.GetFileName(folder));
            if (Directory.Exists(to)) MoveInto(folder, to);
            else UserFiles.Write(to, t => Directory.Move(folder, t));
        }
        foreach (var file in Directory.GetFiles(source))
            UserFiles.Write(Path.Combine(destination, Path.GetFileName(file)), to => File.Move(file, to, overwrite: true));
    }
}
