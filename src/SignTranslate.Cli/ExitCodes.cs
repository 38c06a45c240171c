namespace SignTranslate.Cli;

/// <summary>The exit codes of <c>slt</c>, as the README's "Exit codes" table documents them for scripts and CI.</summary>
public static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Success = 0;

    /// <summary>A bug in slt: the stack trace is printed. Kept apart from <see cref="InputError"/> so that a script can
    /// tell "fix your input" from "report this".</summary>
    public const int Bug = 1;

    /// <summary>Something to fix on the user's side (a file, value or option, or the machine: disk full, permission
    /// denied, out of memory), printed as one <c>slt: error:</c> line.</summary>
    public const int InputError = 2;

    /// <summary>Stopped by Ctrl+C or SIGTERM; training wrote a checkpoint to resume from. 128 + SIGINT, the code a
    /// shell reports for a process that SIGINT ended, so that scripts treat both alike.</summary>
    public const int Interrupted = 130;
}
