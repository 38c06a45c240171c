using System.CommandLine;
using SignTranslate.Config;

namespace SignTranslate.Cli.Commands;

/// <summary><c>slt config show --config FILE [--set k=v]...</c>: prints the resolved configuration, every default included.</summary>
public static class ConfigCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var options = new ConfigOptions();
        var show = new Command("show", "Print the resolved configuration (file + overrides + defaults) as YAML");
        options.AddTo(show);
        show.SetAction(parse => CommandRunner.Run(parse, stderr, () =>
        {
            stdout.Write(ConfigWriter.ToYaml(options.Load(parse)));
            return 0;
        }));

        var command = new Command("config", "Inspect experiment configurations");
        command.Subcommands.Add(show);
        return command;
    }
}
