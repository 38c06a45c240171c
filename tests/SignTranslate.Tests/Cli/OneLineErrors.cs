using SignTranslate.Cli;

namespace SignTranslate.Tests.Cli;

/// <summary>The CLI's error contract: exit code 2 and exactly one line on stderr, without a stack trace.</summary>
internal static class OneLineErrors
{
    /// <returns>The line, without the "slt: error: " prefix.</returns>
    public static string Single(CliRunner.Result result)
    {
        Assert.True(result.ExitCode == ExitCodes.InputError, $"exit code {result.ExitCode}, stderr: {result.Stderr}");
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"expected one stderr line, got {lines.Length}:\n{result.Stderr}");
        Assert.DoesNotContain("   at ", result.Stderr);
        Assert.StartsWith("slt: error: ", lines[0]);
        return lines[0]["slt: error: ".Length..].TrimEnd('\r');
    }
}
