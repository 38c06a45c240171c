using System.Globalization;
using System.Text.Json;
using Serilog;
using SignTranslate.Checkpoints;
using SignTranslate.Config;
using SignTranslate.Logging;

namespace SignTranslate.Training;

/// <summary>How a run was started: its stage and the <c>--init</c> checkpoint, so that a run that stopped before its first
/// checkpoint starts over the same way.</summary>
public sealed record RunStart(string Stage, string? Init);

/// <summary>
/// The folder one training run owns: <c>config.yaml</c> (the resolved configuration), <c>run.json</c>
/// (<see cref="RunStart"/>), <c>log.txt</c> (every log line, debug included), <c>metrics.jsonl</c> (one JSON object
/// per logged step or epoch), TensorBoard event files under <c>tensorboard/</c>, and <c>checkpoints/</c>
/// (<see cref="RunCheckpoints"/>).
/// </summary>
public sealed class RunFolder
{
    public string Path { get; }
    public string CheckpointsPath => System.IO.Path.Combine(Path, "checkpoints");
    public string MetricsPath => System.IO.Path.Combine(Path, "metrics.jsonl");
    public string LogPath => System.IO.Path.Combine(Path, "log.txt");
    public string TensorBoardPath => System.IO.Path.Combine(Path, "tensorboard");
    public string StartPath => System.IO.Path.Combine(Path, "run.json");

    /// <summary>What a run folder holds; a folder of nothing else and no checkpoint may be started over.</summary>
    private static readonly string[] Entries =
        ["config.yaml", "config.yaml.tmp", "run.json", "run.json.tmp", "log.txt", "metrics.jsonl", "metrics.jsonl.tmp", "tensorboard", "checkpoints"];

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private RunFolder(string path) => Path = path;

    /// <summary>Creates <c>output_dir/STAGE-yyyyMMdd-HHmmss</c> (with a numeric suffix if it exists), writes the config and starts the log file.</summary>
    public static RunFolder Create(ExperimentConfig config, string stage, DateTime? now = null, string? init = null)
    {
        var root = config.ResolvePath(config.Run.OutputDir);
        var stamp = (now ?? DateTime.Now).ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var path = System.IO.Path.Combine(root, $"{stage}-{stamp}");
        for (int i = 2; Directory.Exists(path); i++)
            path = System.IO.Path.Combine(root, $"{stage}-{stamp}-{i}");
        return Open(path, config, new RunStart(stage, init), fresh: true);
    }

    /// <summary>
    /// Creates the run folder at a chosen path. It must not hold anything but a run that stopped before its first
    /// checkpoint, which is started over.
    /// </summary>
    public static RunFolder CreateAt(string path, ExperimentConfig config, string? stage = null, string? init = null)
    {
        path = System.IO.Path.GetFullPath(path);
        if (Directory.Exists(path) && Directory.EnumerateFileSystemEntries(path).Any())
        {
            var checkpoints = System.IO.Path.Combine(path, "checkpoints");
            if (Directory.EnumerateFileSystemEntries(path).Any(e => !Entries.Contains(System.IO.Path.GetFileName(e))))
                throw new InputException($"{path}: folder exists and is not empty; choose another --run-dir");
            if (RunCheckpoints.HoldsCheckpoint(checkpoints))
                throw new InputException($"{path}: folder holds a run with a checkpoint; resume it with --resume, or choose another --run-dir");
            var reused = Open(path, config, stage is null ? null : new RunStart(stage, init), fresh: true);
            Log.Warning("{Run} holds a run that stopped before its first checkpoint: starting it over", path);
            return reused;
        }
        return Open(path, config, stage is null ? null : new RunStart(stage, init), fresh: true);
    }

    /// <summary>
    /// Another process's run folder, to read only: the processes of a data-parallel run other than 0 read its checkpoints
    /// on resume and write nothing into it (no log file either).
    /// </summary>
    public static RunFolder Attach(string path) => new(System.IO.Path.GetFullPath(path));

    /// <summary>Opens an existing run folder to resume it; the log file is appended to.</summary>
    public static RunFolder Resume(string path, ExperimentConfig config)
    {
        if (!Directory.Exists(path))
            throw new InputException($"{path}: run folder not found");
        return Open(System.IO.Path.GetFullPath(path), config, start: null, fresh: false);
    }

    private static RunFolder Open(string path, ExperimentConfig config, RunStart? start, bool fresh)
    {
        var run = new RunFolder(path);
        Directory.CreateDirectory(run.CheckpointsPath);
        var operations = new FileOperations();
        // What a kill during an atomic replacement leaves: the temporary file, never needed again.
        foreach (var name in Entries.Where(e => e.EndsWith(".tmp", StringComparison.Ordinal)))
            operations.Delete(System.IO.Path.Combine(path, name));
        if (fresh)
        {
            // Whole files or none: a run killed at any instant must remain one that can be resumed or started over.
            operations.WriteAtomically(System.IO.Path.Combine(path, "config.yaml"), ConfigWriter.ToYaml(config));
            if (start is not null) operations.WriteAtomically(run.StartPath, JsonSerializer.Serialize(start, Json) + "\n");
            else operations.Delete(run.StartPath);
        }
        SltLogging.AddRunLogFile(run.LogPath);
        return run;
    }

    /// <summary>How the run was started; null for a run of an older version, or one killed before it was written.</summary>
    public RunStart? ReadStart()
    {
        try
        {
            return File.Exists(StartPath) ? JsonSerializer.Deserialize<RunStart>(File.ReadAllText(StartPath), Json) : null;
        }
        catch (JsonException e)
        {
            throw new InputException($"{StartPath}: invalid ({e.Message}); delete it to resume without it", e);
        }
    }

    /// <summary>Appends one line to <c>metrics.jsonl</c>.</summary>
    public void AppendMetrics(IReadOnlyDictionary<string, object> record) =>
        File.AppendAllText(MetricsPath, JsonSerializer.Serialize(record) + "\n");
}
