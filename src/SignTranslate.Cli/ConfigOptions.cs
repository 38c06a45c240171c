using System.CommandLine;
using SignTranslate.Config;

namespace SignTranslate.Cli;

/// <summary>The <c>--config FILE</c> and repeatable <c>--set key=value</c> options shared by every command that reads a configuration.</summary>
public sealed class ConfigOptions
{
    public Option<FileInfo> Config { get; } = new("--config", "-c")
    {
        Description = "YAML configuration file",
        Required = true,
    };

    public Option<string[]> Set { get; } = new("--set")
    {
        Description = "Override a configuration value, e.g. --set run.seed=7 (repeatable)",
        Arity = ArgumentArity.ZeroOrMore,
        AllowMultipleArgumentsPerToken = false,
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Config);
        command.Options.Add(Set);
    }

    public ExperimentConfig Load(ParseResult parse) =>
        ConfigLoader.Load(parse.GetValue(Config)!.FullName, parse.GetValue(Set) ?? []);
}
