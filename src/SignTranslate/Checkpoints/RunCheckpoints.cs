using Serilog;

namespace SignTranslate.Checkpoints;

/// <summary>
/// The <c>checkpoints/</c> folder of a training run (docs/training.md, "Checkpoints"):
/// <code>
/// epoch-003/               full checkpoint after 3 epochs: weights, optimizers, RNG, tokenizer, meta.json
/// epoch-003-step-00017/    full checkpoint after 3 epochs and 17 steps of the 4th (an interruption)
/// best-epoch-002/          weights-only checkpoint, the best on the dev metric so far
/// last -> epoch-003        symbolic links, the names readers use (slt eval, --init, scripts)
/// best -> best-epoch-002
/// </code>
/// A checkpoint is built as <c>.tmp-NAME</c>, synced, and renamed to NAME; then <c>last</c> is switched to it by one
/// atomic rename, which commits it; then <c>best</c> follows; then the folders neither link names are removed. A crash
/// at any instant therefore leaves <c>last</c> at a complete checkpoint (or, before the first, no <c>last</c>), and
/// <see cref="Open"/> recognises and removes whatever else it left.
/// </summary>
public sealed class RunCheckpoints
{
    public const string LastLink = "last";
    public const string BestLink = "best";
    private const string StagingPrefix = ".tmp-";

    private readonly FileOperations _operations;
    private string? _last;
    private string? _best;

    private RunCheckpoints(string folder, FileOperations operations)
    {
        Folder = folder;
        _operations = operations;
    }

    public string Folder { get; }
    public string LastPath => Path.Combine(Folder, LastLink);
    public string BestPath => Path.Combine(Folder, BestLink);

    /// <summary>The folder of the checkpoint a resume continues from; null before the first one.</summary>
    public string? Last => _last is null ? null : Path.Combine(Folder, _last);

    /// <summary>The folder of the best checkpoint; null before the first evaluation.</summary>
    public string? Best => _best is null ? null : Path.Combine(Folder, _best);

    /// <summary>Full checkpoints are named by their position: epochs completed, and steps into the next epoch.</summary>
    public static string NameOf(CheckpointMetadata meta) => meta.StepsIntoEpoch == 0
        ? $"epoch-{meta.EpochsCompleted:D3}"
        : $"epoch-{meta.EpochsCompleted:D3}-step-{meta.StepsIntoEpoch:D5}";

    public static string BestNameOf(CheckpointMetadata meta) => $"best-epoch-{meta.EpochsCompleted:D3}";

    /// <summary>The folder a checkpoint path names: the target of a <c>last</c>/<c>best</c> link, else the path itself.</summary>
    public static string Resolve(string path)
    {
        path = Path.GetFullPath(path);
        return new FileInfo(path).LinkTarget is { } target ? Path.GetFullPath(target, Path.GetDirectoryName(path)!) : path;
    }

    /// <summary>
    /// Opens the folder and brings it to a state that a crash cannot have left ambiguous: <c>last</c> at the checkpoint
    /// to resume from (adopting the newest complete one when there is no link, e.g. the first write or an older layout
    /// was cut short), <c>best</c> at the best checkpoint that checkpoint knew of, and nothing else. A <c>last</c> whose
    /// checkpoint is damaged is an input error; the folder is then left as it is.
    /// </summary>
    public static RunCheckpoints Open(string folder, FileOperationHook? hook = null)
    {
        folder = Path.GetFullPath(folder);
        Directory.CreateDirectory(folder);
        var checkpoints = new RunCheckpoints(folder, new FileOperations(hook));
        try
        {
            checkpoints.Recover();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"{folder}: putting the checkpoints in order failed ({e.Message}); fix the cause and run again", e);
        }
        return checkpoints;
    }

    /// <summary>Whether the folder holds a checkpoint to resume from (or a damaged <c>last</c>), without changing it.</summary>
    public static bool HoldsCheckpoint(string folder) =>
        Directory.Exists(folder)
        && (LinkTarget(Path.Combine(folder, LastLink)) is not null
            || new DirectoryInfo(folder).EnumerateDirectories().Any(d => d.LinkTarget is null && CheckpointStore.IsComplete(d.FullName, resumable: true)));

    /// <summary>
    /// Commits a full checkpoint as the new <c>last</c>, with <paramref name="best"/> (weights only) as the new
    /// <c>best</c> when given, then removes the checkpoints they replace.
    /// </summary>
    public void Save(CheckpointContent last, CheckpointContent? best)
    {
        var bestName = _best;
        if (best is not null)
        {
            bestName = BestNameOf(best.Metadata);
            Publish(bestName, best);
        }
        var lastName = NameOf(last.Metadata);
        Publish(lastName, last with { Metadata = last.Metadata with { BestCheckpoint = bestName } });
        _operations.PointLink(LastPath, lastName);
        string?[] replaced = [_last, _best];
        _last = lastName;
        if (bestName is not null && bestName != _best)
        {
            _operations.PointLink(BestPath, bestName);
            _best = bestName;
        }
        foreach (var name in replaced)
            if (name is not null && name != _last && name != _best)
                _operations.Delete(Path.Combine(Folder, name));
    }

    private void Publish(string name, CheckpointContent content)
    {
        if (name == _last || name == _best)
            throw new InvalidOperationException($"{Path.Combine(Folder, name)}: the trainer wrote this position twice");
        var staging = Path.Combine(Folder, StagingPrefix + name);
        _operations.Delete(Path.Combine(Folder, name));
        _operations.Delete(staging);
        _operations.CreateDirectory(staging);
        CheckpointStore.Write(staging, content, _operations);
        _operations.MoveDirectory(staging, Path.Combine(Folder, name));
    }

    private void Recover()
    {
        var last = LinkedLast() ?? Newest(resumable: true, _ => true);
        var lastMeta = last is null ? null : CheckpointStore.ReadMetadata(Path.Combine(Folder, last));
        string? best = null;
        if (lastMeta is not null)
        {
            // Format 2 records which best checkpoint goes with the position, so a crash between switching the two
            // links cannot leave a best from beyond the position training resumes from.
            best = lastMeta.FormatVersion >= 2
                ? lastMeta.BestCheckpoint
                : LinkTarget(BestPath) ?? Newest(resumable: false, IsBestName);
            if (best is not null && !CheckpointStore.IsComplete(Path.Combine(Folder, best), resumable: false))
            {
                Log.Warning("{Folder}: the best checkpoint {Best} is missing or incomplete; best is chosen again from the next evaluation on",
                    Folder, best);
                best = null;
            }
        }
        RemoveAllBut(last, best);
        if (last is not null)
        {
            last = Rename(last, NameOf(lastMeta!));
            if (LinkTarget(LastPath) != last) _operations.PointLink(LastPath, last);
        }
        if (best is not null)
        {
            best = Rename(best, BestNameOf(CheckpointStore.ReadMetadata(Path.Combine(Folder, best))));
            if (LinkTarget(BestPath) != best) _operations.PointLink(BestPath, best);
        }
        if (last is null) _operations.Delete(LastPath);
        if (best is null) _operations.Delete(BestPath);
        (_last, _best) = (last, best);
    }

    /// <summary>The target of the <c>last</c> link, checked file by file; null when there is no link.</summary>
    private string? LinkedLast()
    {
        if (LinkTarget(LastPath) is not { } target) return null;
        var folder = Path.Combine(Folder, target);
        var advice = $"restore it, or delete {Folder} to start the run over";
        if (!Directory.Exists(folder))
            throw new InputException($"{LastPath}: points to {target}, which is missing; {advice}");
        CheckpointStore.Verify(folder, $"the checkpoint {LastPath} points to cannot be resumed: {advice}");
        return target;
    }

    /// <summary>The newest complete checkpoint folder that no link names, checked file by file; null if none.</summary>
    private string? Newest(bool resumable, Func<string, bool> name)
    {
        var newest = new DirectoryInfo(Folder).EnumerateDirectories()
            .Where(d => d.LinkTarget is null && name(d.Name) && CheckpointStore.IsComplete(d.FullName, resumable))
            .Select(d => (d.Name, Meta: CheckpointStore.ReadMetadata(d.FullName)))
            .OrderByDescending(c => (c.Meta.EpochsCompleted, c.Meta.StepsIntoEpoch, c.Meta.GlobalStep))
            .Select(c => c.Name)
            .FirstOrDefault();
        if (newest is not null)
        {
            CheckpointStore.Verify(Path.Combine(Folder, newest), $"{Folder} holds no other checkpoint: restore the file, or delete {Folder} to start the run over");
            Log.Information("{Folder}: adopting the complete checkpoint {Name}, which no link named yet", Folder, newest);
        }
        return newest;
    }

    /// <summary>Names of best checkpoints, the older layout's included (a plain folder and its swap leftovers).</summary>
    private static bool IsBestName(string name) =>
        name == BestLink || name.StartsWith($".{BestLink}.tmp-", StringComparison.Ordinal)
        || name.StartsWith($"{BestLink}.old-", StringComparison.Ordinal) || name.StartsWith($"{BestLink}-epoch-", StringComparison.Ordinal);

    private void RemoveAllBut(string? last, string? best)
    {
        var removed = new List<string>();
        foreach (var entry in new DirectoryInfo(Folder).EnumerateFileSystemInfos())
        {
            var isLink = entry.LinkTarget is not null;
            if (entry.Name == last || entry.Name == best || (isLink && entry.Name is LastLink or BestLink)) continue;
            _operations.Delete(entry.FullName);
            removed.Add(entry.Name);
        }
        if (removed.Count > 0)
            Log.Information("{Folder}: removed what an interrupted run left behind: {Names}", Folder, string.Join(", ", removed));
    }

    /// <summary>Gives a kept folder its canonical name (a folder of the older layout, or an adopted staging folder).</summary>
    private string Rename(string name, string canonical)
    {
        if (name == canonical) return name;
        _operations.Delete(Path.Combine(Folder, canonical));
        _operations.MoveDirectory(Path.Combine(Folder, name), Path.Combine(Folder, canonical));
        return canonical;
    }

    private static string? LinkTarget(string path) =>
        new FileInfo(path).LinkTarget is { } target ? Path.GetFileName(Path.TrimEndingDirectorySeparator(target)) : null;
}
