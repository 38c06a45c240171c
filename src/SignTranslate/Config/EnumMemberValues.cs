using System.Reflection;
using System.Runtime.Serialization;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace SignTranslate.Config;

/// <summary>
/// Reads enums that spell a value with <see cref="EnumMemberAttribute"/> (e.g. <c>rgb+pose</c>), which YamlDotNet's
/// deserializer does not look at; the other values keep their snake_case names (<see cref="ConfigSchema.EnumNames"/>).
/// Writing is left to YamlDotNet, whose serializer already uses the attribute.
/// </summary>
internal sealed class EnumMemberValues : IYamlTypeConverter
{
    public bool Accepts(Type type) =>
        type.IsEnum && type.GetFields(BindingFlags.Public | BindingFlags.Static).Any(f => f.GetCustomAttribute<EnumMemberAttribute>() is not null);

    public object? ReadYaml(IParser parser, Type type, ObjectDeserializer rootDeserializer)
    {
        var scalar = parser.Consume<Scalar>();
        foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            var value = (Enum)field.GetValue(null)!;
            if (string.Equals(ConfigSchema.EnumName(value), scalar.Value, StringComparison.Ordinal))
                return value;
        }
        // The loader turns this into "'key' expects one of: ..., got '...'".
        throw new YamlException(scalar.Start, scalar.End, $"'{scalar.Value}' is not one of: {string.Join(", ", ConfigSchema.EnumNames(type))}");
    }

    public void WriteYaml(IEmitter emitter, object? value, Type type, ObjectSerializer serializer) =>
        emitter.Emit(new Scalar(ConfigSchema.EnumName((Enum)value!)));
}
