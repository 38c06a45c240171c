using System.CommandLine;
using SignTranslate.Config;
using SignTranslate.Training;

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
            return ExitCodes.Success;
        }));

        var markdown = new Option<bool>("--markdown") { Description = "Print Markdown tables (the reference in docs/configuration.md)" };
        var keys = new Command("keys", "List every configuration key with its type, default and meaning") { markdown };
        keys.SetAction(parse => CommandRunner.Run(parse, stderr, () =>
        {
            stdout.Write(parse.GetValue(markdown) ? ConfigReference.Markdown(typeof(ExperimentConfig)) : PlainKeyList());
            return ExitCodes.Success;
        }));

        var command = new Command("config", "Inspect experiment configurations");
        command.Subcommands.Add(show);
        command.Subcommands.Add(keys);
        return command;
    }

    private static string PlainKeyList()
    {
        var text = new System.Text.StringBuilder();
        foreach (var section in ConfigReference.Sections(typeof(ExperimentConfig)))
            foreach (var key in section.Keys)
                text.Append($"{key.Path} = {(key.Default.Length == 0 ? "''" : key.Default)}  ({key.Type})\n    {key.Meaning}\n");
        return text.ToString();
    }
}
