using System.CommandLine;
using SignTranslate.Training;

namespace SignTranslate.Cli;

/// <summary>The <c>--config FILE</c> and repeatable <c>--set key=value</c> options shared by every command that reads a configuration.</summary>
/// <param name="configRequired">false: without <c>--config</c> the defaults are used (the overrides still apply).</param>
public sealed class ConfigOptions(bool configRequired = true)
{
    public Option<FileInfo> Config { get; } = new("--config", "-c")
    {
        Description = configRequired ? "YAML configuration file" : "YAML configuration file (default: the built-in defaults)",
        Required = configRequired,
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

    public ExperimentConfig Load(ParseResult parse) => parse.GetValue(Config) is { } file
        ? ExperimentConfig.Load(file.FullName, parse.GetValue(Set) ?? [])
        : ExperimentConfig.Defaults(parse.GetValue(Set) ?? []);
}
