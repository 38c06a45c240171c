using System.CommandLine;
using System.CommandLine.Parsing;
using SignTranslate.Cli.Commands;

namespace SignTranslate.Cli;

/// <summary>Builds the `slt` command tree. Tests call <see cref="RunAsync"/> in-process with captured writers.</summary>
public static class SltApp
{
    public static RootCommand BuildRoot(TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("SignTranslate: gloss-free sign language translation (GFSLT-VLP + SignCL) on TorchSharp");
        GlobalOptions.AddTo(root);
        root.Subcommands.Add(ConfigCommand.Create(stdout, stderr));
        root.Subcommands.Add(ScoreCommand.Create(stdout, stderr));
        root.Subcommands.Add(BenchCommand.Create(stdout, stderr));
        root.Subcommands.Add(DataCommand.Create(stdout, stderr));
        root.Subcommands.Add(SynthCommand.Create(stdout, stderr));
        root.Subcommands.Add(CompareCommand.Create(stdout, stderr));
        root.Subcommands.Add(TrainCommand.CreatePretrain(stdout, stderr));
        root.Subcommands.Add(TrainCommand.CreateFinetune(stdout, stderr));
        root.Subcommands.Add(EvalCommand.Create(stdout, stderr));
        root.Subcommands.Add(TranslateCommand.Create(stdout, stderr));
        root.Subcommands.Add(ImportCommand.Create(stdout, stderr));
        root.Subcommands.Add(ExportCommand.Create(stdout, stderr));
        root.Subcommands.Add(DensityCommand.Create(stdout, stderr));
        root.Subcommands.Add(ServeCommand.Create(stdout, stderr));
        return root;
    }

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancel = default)
    {
        var root = BuildRoot(stdout, stderr);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0 && !RequestsHelpOrVersion(args))
        {
            // Usage errors are input errors too: one line each on stderr, exit code 2 (System.CommandLine would exit 1 and print help).
            foreach (var error in parse.Errors)
                stderr.WriteLine($"slt: error: {error.Message}");
            stderr.WriteLine($"Run '{CommandPath(parse)} --help' for usage.");
            return ExitCodes.InputError;
        }
        // Training saves a resumable checkpoint on Ctrl+C; give it time before the process is torn down.
        var invocation = new InvocationConfiguration { Output = stdout, Error = stderr, ProcessTerminationTimeout = TimeSpan.FromMinutes(5) };
        return await parse.InvokeAsync(invocation, cancel);
    }

    private static bool RequestsHelpOrVersion(string[] args) =>
        args.Any(a => a is "--help" or "-h" or "-?" or "--version");

    private static string CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (SymbolResult? result = parse.CommandResult; result is CommandResult command; result = command.Parent)
            names.Add(command.Command.Name);
        names.Reverse();
        names[0] = "slt";
        return string.Join(' ', names);
    }
}
