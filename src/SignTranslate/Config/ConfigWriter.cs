using YamlDotNet.Serialization;
using YamlDotNet.Serialization.TypeInspectors;

namespace SignTranslate.Config;

/// <summary>Writes a resolved configuration back to YAML (every key, defaults included) so runs record exactly what they used.</summary>
public static class ConfigWriter
{
    public static string ToYaml<T>(T config) where T : class => new SerializerBuilder()
        .WithNamingConvention(ConfigSchema.Naming)
        .WithEnumNamingConvention(ConfigSchema.Naming)
        .ConfigureDefaultValuesHandling(DefaultValuesHandling.Preserve)
        .DisableAliases()
        .WithTypeInspector(inner => new SettableOnly(inner))
        .Build()
        .Serialize(config);

    /// <summary>Leaves out computed (get-only) properties: they are not configuration and could not be read back.</summary>
    private sealed class SettableOnly(ITypeInspector inner) : ReflectionTypeInspector
    {
        public override IEnumerable<IPropertyDescriptor> GetProperties(Type type, object? container) =>
            inner.GetProperties(type, container).Where(p => p.CanWrite);

        public override string GetEnumName(Type enumType, string name) => inner.GetEnumName(enumType, name);

        public override string GetEnumValue(object enumValue) => inner.GetEnumValue(enumValue);
    }
}
