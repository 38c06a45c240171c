using System.CommandLine;
using Serilog;
using SignTranslate.Files;
using SignTranslate.Logging;

namespace SignTranslate.Cli;

/// <summary>
/// Runs a command body with the process-wide settings applied and the error policy every command shares:
/// problems with the user's input print one line on stderr and exit with <see cref="ExitCodes.InputError"/>; so do
/// failures of the file system or the machine (disk full, permission denied, out of memory) that no command turned into
/// an input error itself, as a last resort, because they are never bugs of slt; bugs print the stack trace and exit
/// with <see cref="ExitCodes.Bug"/> (README, "Exit codes").
/// </summary>
public static class CommandRunner
{
    public static int Run(ParseResult parse, TextWriter stderr, Func<int> body) =>
        RunAsync(parse, stderr, _ => Task.FromResult(body()), CancellationToken.None).GetAwaiter().GetResult();

    public static async Task<int> RunAsync(ParseResult parse, TextWriter stderr, Func<CancellationToken, Task<int>> body, CancellationToken cancel)
    {
        GlobalOptions.ApplyLogging(parse);
        try
        {
            return await body(cancel);
        }
        catch (Exception e) when (UserFacing(e) is InputException input)
        {
            stderr.WriteLine($"slt: error: {input.Message}");
            return ExitCodes.InputError;
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            stderr.WriteLine("slt: cancelled");
            return ExitCodes.Interrupted;
        }
        catch (Exception e) when (UserFacing(e) is { } problem && FileErrors.IsFileProblem(problem))
        {
            // The trace stays available to whoever asks for debug output (-v, the run's log.txt).
            Log.Debug(e, "File system or memory failure");
            stderr.WriteLine($"slt: error: {FileErrors.Describe(problem)}");
            return ExitCodes.InputError;
        }
        catch (Exception e)
        {
            Log.Fatal(e, "Internal error");
            stderr.WriteLine($"slt: internal error: {e.Message} (this is a bug; the stack trace is above)");
            return ExitCodes.Bug;
        }
        finally
        {
            SltLogging.Close();
        }
    }

    /// <summary>
    /// The exception to report: parallel loops (frame writing, prefetching) wrap what a worker threw in an
    /// <see cref="AggregateException"/>; the first input or file problem inside it is what the user needs to see.
    /// </summary>
    private static Exception UserFacing(Exception e)
    {
        if (e is not AggregateException aggregate) return e;
        var inner = aggregate.Flatten().InnerExceptions;
        return inner.FirstOrDefault(x => x is InputException) ?? inner.FirstOrDefault(FileErrors.IsFileProblem) ?? e;
    }
}
