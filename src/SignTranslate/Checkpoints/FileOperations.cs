namespace SignTranslate.Checkpoints;

/// <summary>
/// Called after each file operation of a checkpoint write or a recovery, with a short description of it (e.g.
/// <c>rename .tmp-epoch-002 -&gt; epoch-002</c>). Tests throw or copy the run folder here to reproduce a failure or a
/// crash at that instant; <c>scripts/crash-test.sh</c> kills the process here.
/// </summary>
public delegate void FileOperationHook(string operation);

/// <summary>
/// The file operations checkpoints are made of, each made durable where a later step relies on it (file data and the
/// directory entry both synced before a rename that publishes them) and each reported to the hook afterwards.
/// </summary>
public sealed class FileOperations(FileOperationHook? hook = null)
{
    /// <summary>Reports an operation that the caller carried out itself (e.g. a library wrote a file).</summary>
    public void Done(string operation) => hook?.Invoke(operation);

    /// <summary>Reports a file that the caller wrote, then syncs it.</summary>
    public void Wrote(string path)
    {
        Done($"write {Name(path)}");
        Sync(path);
    }

    public void Sync(string path)
    {
        NativeFiles.Sync(path);
        Done($"fsync {Name(path)}");
    }

    public void CreateDirectory(string path)
    {
        Directory.CreateDirectory(path);
        Done($"mkdir {Name(path)}");
    }

    /// <summary>Renames a folder that nothing refers to yet, and syncs the folder holding it.</summary>
    public void MoveDirectory(string from, string to)
    {
        Directory.Move(from, to);
        Done($"rename {Name(from)} -> {Name(to)}");
        Sync(Path.GetDirectoryName(to)!);
    }

    /// <summary>
    /// Makes <paramref name="link"/> a symbolic link to the sibling <paramref name="target"/> in one step: a new link
    /// is made under a temporary name and renamed over the old one, so readers see the old target or the new, never none.
    /// </summary>
    public void PointLink(string link, string target)
    {
        var temporary = Path.Combine(Path.GetDirectoryName(link)!, $".{Path.GetFileName(link)}.tmp-link");
        Delete(temporary);
        Directory.CreateSymbolicLink(temporary, target);
        Done($"symlink {Name(temporary)} -> {target}");
        NativeFiles.Replace(temporary, link);
        Done($"rename {Name(temporary)} -> {Name(link)}");
        Sync(Path.GetDirectoryName(link)!);
    }

    /// <summary>Replaces a small file's content in one step (temporary file, sync, rename, sync of the folder).</summary>
    public void WriteAtomically(string path, string contents)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, contents);
        Wrote(temporary);
        NativeFiles.Replace(temporary, path);
        Done($"rename {Name(temporary)} -> {Name(path)}");
        Sync(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    /// <summary>Removes a file, a link (not what it points to) or a folder with its contents; nothing if absent.</summary>
    public void Delete(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null || info.Exists) info.Delete();
        else if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
        else return;
        Done($"delete {Name(path)}");
    }

    private static string Name(string path) => Path.GetFileName(Path.TrimEndingDirectorySeparator(path));
}
