using System.Security.Cryptography;

namespace SignTranslate.Checkpoints;

/// <summary>
/// The list of files in <see cref="CheckpointMetadata.Files"/>: written after every other file of a checkpoint, it
/// tells a complete folder from one a crash cut short, and a damaged file (truncated, overwritten) from a good one.
/// </summary>
public static class CheckpointManifest
{
    /// <summary>Size and SHA-256 of every file under <paramref name="folder"/> except the metadata, by relative path.</summary>
    public static Dictionary<string, CheckpointFile> Describe(string folder)
    {
        var files = new Dictionary<string, CheckpointFile>(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var name = Path.GetRelativePath(folder, path).Replace(Path.DirectorySeparatorChar, '/');
            if (name == CheckpointStore.MetadataFile) continue;
            using var stream = File.OpenRead(path);
            files[name] = new CheckpointFile(stream.Length, Convert.ToHexStringLower(SHA256.HashData(stream)));
        }
        return files;
    }

    /// <summary>
    /// What is wrong with the folder's files compared with the list, as "path: problem", or null when nothing is.
    /// Without <paramref name="content"/> only presence and sizes are checked (cheap enough to look at every folder).
    /// </summary>
    public static string? Problem(string folder, IReadOnlyDictionary<string, CheckpointFile> files, bool content)
    {
        foreach (var (name, expected) in files)
        {
            var path = Path.Combine(folder, name);
            var info = new FileInfo(path);
            if (!info.Exists) return $"{path}: missing";
            if (info.Length != expected.Bytes)
                return $"{path}: {(info.Length < expected.Bytes ? "truncated" : "too long")} ({info.Length} bytes instead of {expected.Bytes})";
            if (!content) continue;
            using var stream = File.OpenRead(path);
            if (Convert.ToHexStringLower(SHA256.HashData(stream)) != expected.Sha256)
                return $"{path}: damaged (its SHA-256 differs from the one recorded when it was written)";
        }
        return null;
    }
}
