using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace SignTranslate.Logging;

/// <summary>
/// Process-wide logging: human-readable lines on stderr (stdout stays free for results and JSON), and, for commands
/// that create a run folder, a full debug log file inside it.
/// </summary>
public static class SltLogging
{
    private const string ConsoleTemplate = "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{Exception}";
    private const string FileTemplate = "{Timestamp:yyyy-MM-ddTHH:mm:ss.fffzzz} [{Level:u3}] {Message:lj}{NewLine}{Exception}";

    private static readonly LoggingLevelSwitch ConsoleLevel = new(LogEventLevel.Information);
    private static string? _logFile;

    /// <summary>Console logging at the given level. Replaces any earlier configuration (and closes its log file).</summary>
    public static void Configure(LogEventLevel consoleLevel)
    {
        ConsoleLevel.MinimumLevel = consoleLevel;
        _logFile = null;
        Install();
    }

    /// <summary>Shows console lines from <paramref name="level"/> up only (the other processes of a data-parallel run
    /// leave the progress to process 0).</summary>
    public static void RaiseConsoleLevel(LogEventLevel level)
    {
        if (ConsoleLevel.MinimumLevel < level) ConsoleLevel.MinimumLevel = level;
    }

    /// <summary>Adds a log file (all levels, debug included) next to the console output; used once a run folder exists.</summary>
    public static void AddRunLogFile(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        _logFile = path;
        Install();
    }

    /// <summary>Flushes and closes the log file, if any.</summary>
    public static void Close() => Log.CloseAndFlush();

    private static void Install()
    {
        var previous = Log.Logger;
        var configuration = new LoggerConfiguration().MinimumLevel.Debug();
        configuration = configuration.WriteTo.Console(outputTemplate: ConsoleTemplate, levelSwitch: ConsoleLevel,
            standardErrorFromLevel: LogEventLevel.Verbose, formatProvider: System.Globalization.CultureInfo.InvariantCulture);
        if (_logFile is not null)
            configuration = configuration.WriteTo.File(_logFile, outputTemplate: FileTemplate,
                formatProvider: System.Globalization.CultureInfo.InvariantCulture);
        Log.Logger = configuration.CreateLogger();
        (previous as IDisposable)?.Dispose();
    }
}
