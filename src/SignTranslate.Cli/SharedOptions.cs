using System.CommandLine;

namespace SignTranslate.Cli;

/// <summary>
/// The options several commands take, declared once so that their names, values and wording agree everywhere.
/// Each call returns a new option: a command owns the options it is given.
/// </summary>
internal static class SharedOptions
{
    /// <summary><c>--checkpoint FOLDER</c> (required): a checkpoint folder, described for this command.</summary>
    public static Option<DirectoryInfo> Checkpoint(string description = "Checkpoint folder (e.g. RUN/checkpoints/best)") =>
        new("--checkpoint") { Description = description, Required = true };

    /// <summary><c>--split dev|test|train</c>, test unless given.</summary>
    public static Option<string> Split(string description)
    {
        var split = new Option<string>("--split") { Description = description, DefaultValueFactory = _ => "test" };
        split.AcceptOnlyFromAmong("dev", "test", "train");
        return split;
    }

    /// <summary><c>--device</c> for a command that reads a checkpoint: its <c>run.device</c> unless given.</summary>
    public static Option<string?> DeviceOfCheckpoint() =>
        new("--device") { Description = "cpu, cuda or cuda:N (default: the checkpoint's run.device)" };

    /// <summary><c>--device</c> for a command that reads a configuration: overrides its <c>run.device</c>.</summary>
    public static Option<string?> DeviceOfConfig() =>
        new("--device") { Description = "cpu, cuda or cuda:N (overrides run.device)" };

    /// <summary><c>--beam N</c>: beam width for decoding, the checkpoint's <c>eval.num_beams</c> unless given.</summary>
    public static Option<int?> Beam() =>
        new("--beam") { Description = "Beam width (1 = greedy); default: the checkpoint's eval.num_beams" };
}
