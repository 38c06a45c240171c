using SignTranslate.Cli;

namespace SignTranslate.Tests.Cli;

/// <summary>Runs `slt` in-process with captured output.</summary>
public static class CliRunner
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Result Run(params string[] args) => RunAsync(args).GetAwaiter().GetResult();

    public static Task<Result> RunAsync(params string[] args) => RunAsync(CancellationToken.None, args);

    /// <summary>Runs with a cancellation token, as Ctrl+C or SIGTERM cancels the real process's.</summary>
    public static async Task<Result> RunAsync(CancellationToken cancel, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = await SltApp.RunAsync(args, stdout, stderr, cancel);
        return new Result(code, stdout.ToString(), stderr.ToString());
    }
}
