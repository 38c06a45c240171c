using System.CommandLine;
using Serilog.Events;
using SignTranslate.Logging;

namespace SignTranslate.Cli;

/// <summary>Options every command accepts, and the one place that turns them into process settings.</summary>
public static class GlobalOptions
{
    public static readonly Option<bool> Verbose = new("--verbose", "-v")
    {
        Description = "Show debug messages on the console",
        Recursive = true,
    };

    public static readonly Option<bool> Quiet = new("--quiet", "-q")
    {
        Description = "Show only warnings and errors on the console",
        Recursive = true,
    };

    public static void AddTo(RootCommand root)
    {
        root.Options.Add(Verbose);
        root.Options.Add(Quiet);
    }

    public static void ApplyLogging(ParseResult parse) =>
        SltLogging.Configure(parse.GetValue(Verbose) ? LogEventLevel.Debug
            : parse.GetValue(Quiet) ? LogEventLevel.Warning
            : LogEventLevel.Information);
}
