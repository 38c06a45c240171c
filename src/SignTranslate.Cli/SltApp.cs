using System.CommandLine;
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
        return root;
    }

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancel = default)
    {
        var root = BuildRoot(stdout, stderr);
        var parse = root.Parse(args);
        var invocation = new InvocationConfiguration { Output = stdout, Error = stderr };
        return await parse.InvokeAsync(invocation, cancel);
    }
}
