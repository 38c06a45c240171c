using System.Diagnostics;
using System.Globalization;
using SignTranslate.Checkpoints;

namespace SignTranslate.Cli;

/// <summary>
/// For <c>scripts/crash-test.sh</c>: with <c>SLT_CRASH_TEST_KILL_AT=N</c> set, the process kills itself (SIGKILL, no
/// cleanup of any kind) right after the N-th file operation of its checkpoint writes, an instant that a kill from
/// outside at a random time would rarely hit.
/// </summary>
public static class CrashTestHook
{
    public const string Variable = "SLT_CRASH_TEST_KILL_AT";

    public static FileOperationHook? FromEnvironment()
    {
        if (!int.TryParse(Environment.GetEnvironmentVariable(Variable), NumberStyles.None, CultureInfo.InvariantCulture, out var killAt) || killAt < 1)
            return null;
        var count = 0;
        return operation =>
        {
            if (++count < killAt) return;
            Console.Error.WriteLine($"{Variable}: killed after file operation {count} ({operation})");
            Process.GetCurrentProcess().Kill();
            Thread.Sleep(Timeout.Infinite);
        };
    }
}
