using YamlDotNet.Serialization;

namespace SignTranslate.Config;

/// <summary>Writes a resolved configuration back to YAML (every key, defaults included) so runs record exactly what they used.</summary>
public static class ConfigWriter
{
    public static string ToYaml<T>(T config) where T : class => new SerializerBuilder()
        .WithNamingConvention(ConfigSchema.Naming)
        .WithEnumNamingConvention(ConfigSchema.Naming)
        .ConfigureDefaultValuesHandling(DefaultValuesHandling.Preserve)
        .DisableAliases()
        .Build()
        .Serialize(config);
}
