using System.Globalization;
using System.Text.Json;
using SignTranslate.Config;
using SignTranslate.Logging;

namespace SignTranslate.Training;

/// <summary>
/// The folder one training run owns: <c>config.yaml</c> (the resolved configuration), <c>log.txt</c> (every log
/// line, debug included), <c>metrics.jsonl</c> (one JSON object per logged step or epoch), TensorBoard event files
/// under <c>tensorboard/</c>, and <c>checkpoints/</c>.
/// </summary>
public sealed class RunFolder
{
    public string Path { get; }
    public string CheckpointsPath => System.IO.Path.Combine(Path, "checkpoints");
    public string MetricsPath => System.IO.Path.Combine(Path, "metrics.jsonl");
    public string LogPath => System.IO.Path.Combine(Path, "log.txt");
    public string TensorBoardPath => System.IO.Path.Combine(Path, "tensorboard");

    private RunFolder(string path) => Path = path;

    /// <summary>Creates <c>output_dir/STAGE-yyyyMMdd-HHmmss</c> (with a numeric suffix if it exists), writes the config and starts the log file.</summary>
    public static RunFolder Create(ExperimentConfig config, string stage, DateTime? now = null)
    {
        var root = config.ResolvePath(config.Run.OutputDir);
        var stamp = (now ?? DateTime.Now).ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var path = System.IO.Path.Combine(root, $"{stage}-{stamp}");
        for (int i = 2; Directory.Exists(path); i++)
            path = System.IO.Path.Combine(root, $"{stage}-{stamp}-{i}");
        return Open(path, config, fresh: true);
    }

    /// <summary>Creates the run folder at a chosen path; it must not hold an earlier run.</summary>
    public static RunFolder CreateAt(string path, ExperimentConfig config)
    {
        path = System.IO.Path.GetFullPath(path);
        if (Directory.Exists(path) && Directory.EnumerateFileSystemEntries(path).Any())
            throw new InputException($"{path}: folder exists and is not empty; resume it with --resume, or choose another --run-dir");
        return Open(path, config, fresh: true);
    }

    /// <summary>Opens an existing run folder to resume it; the log file is appended to.</summary>
    public static RunFolder Resume(string path, ExperimentConfig config)
    {
        if (!Directory.Exists(path))
            throw new InputException($"{path}: run folder not found");
        return Open(System.IO.Path.GetFullPath(path), config, fresh: false);
    }

    private static RunFolder Open(string path, ExperimentConfig config, bool fresh)
    {
        var run = new RunFolder(path);
        Directory.CreateDirectory(run.CheckpointsPath);
        if (fresh)
            File.WriteAllText(System.IO.Path.Combine(path, "config.yaml"), ConfigWriter.ToYaml(config));
        SltLogging.AddRunLogFile(run.LogPath);
        return run;
    }

    /// <summary>Appends one line to <c>metrics.jsonl</c>.</summary>
    public void AppendMetrics(IReadOnlyDictionary<string, object> record) =>
        File.AppendAllText(MetricsPath, JsonSerializer.Serialize(record) + "\n");
}
