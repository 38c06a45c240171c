using System.CommandLine;
using Serilog;
using SignTranslate.Logging;

namespace SignTranslate.Cli;

/// <summary>
/// Runs a command body with the process-wide settings applied and the error policy every command shares:
/// problems with the user's input print one line on stderr and exit 2; bugs print the stack trace and exit 1.
/// </summary>
public static class CommandRunner
{
    public const int InputError = 2;
    public const int InternalError = 1;

    public static int Run(ParseResult parse, TextWriter stderr, Func<int> body) =>
        RunAsync(parse, stderr, _ => Task.FromResult(body()), CancellationToken.None).GetAwaiter().GetResult();

    public static async Task<int> RunAsync(ParseResult parse, TextWriter stderr, Func<CancellationToken, Task<int>> body, CancellationToken cancel)
    {
        GlobalOptions.ApplyLogging(parse);
        try
        {
            return await body(cancel);
        }
        catch (InputException e)
        {
            stderr.WriteLine($"slt: error: {e.Message}");
            return InputError;
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            stderr.WriteLine("slt: cancelled");
            return 130;
        }
        catch (Exception e)
        {
            Log.Fatal(e, "Internal error");
            stderr.WriteLine($"slt: internal error: {e.Message} (this is a bug; the stack trace is above)");
            return InternalError;
        }
        finally
        {
            SltLogging.Close();
        }
    }
}
