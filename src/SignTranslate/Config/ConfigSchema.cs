using System.Collections;
using System.Reflection;
using System.Runtime.Serialization;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace SignTranslate.Config;

/// <summary>What the configuration records accept, keyed by the snake_case names YAML uses. Used for error messages.</summary>
internal static class ConfigSchema
{
    public static readonly INamingConvention Naming = UnderscoredNamingConvention.Instance;

    /// <summary>The YAML keys of a configuration record, in declaration order.</summary>
    public static IReadOnlyList<(string Key, PropertyInfo Property)> Keys(Type recordType) =>
        recordType.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && p.GetCustomAttribute<YamlIgnoreAttribute>() is null && p.GetIndexParameters().Length == 0)
            .Where(p => p.Name != "EqualityContract")
            .Select(p => (p.GetCustomAttribute<YamlMemberAttribute>()?.Alias ?? Naming.Apply(p.Name), p))
            .ToList();

    /// <summary>The type found at a dotted key path (<c>run.seed</c>, <c>data.splits[0]</c>), or null if the path does not exist.</summary>
    public static Type? TypeAt(Type root, IEnumerable<string> path)
    {
        Type? current = root;
        foreach (var segment in path)
        {
            if (current is null) return null;
            if (segment.StartsWith('['))
            {
                current = ElementType(current);
                continue;
            }
            current = Keys(current).FirstOrDefault(k => k.Key == segment).Property?.PropertyType;
        }
        return current;
    }

    public static bool IsSection(Type type) =>
        type.IsClass && type != typeof(string) && !typeof(IEnumerable).IsAssignableFrom(type);

    /// <summary>How a user should read the expected type: "an integer", "one of: cpu, cuda", ...</summary>
    public static string Describe(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type);
        if (underlying is not null) return Describe(underlying) + " (or nothing)";
        if (type == typeof(int) || type == typeof(long) || type == typeof(short)) return "an integer";
        if (type == typeof(double) || type == typeof(float) || type == typeof(decimal)) return "a number";
        if (type == typeof(bool)) return "true or false";
        if (type == typeof(string)) return "text";
        if (type.IsEnum) return "one of: " + string.Join(", ", EnumNames(type));
        var element = ElementType(type);
        if (element is not null) return $"a list of {Plural(Describe(element))}";
        if (IsSection(type)) return "a section with keys: " + string.Join(", ", Keys(type).Select(k => k.Key));
        return type.Name;
    }

    /// <summary>
    /// The YAML spellings of an enum's members: an <see cref="EnumMemberAttribute"/> value where one is declared
    /// (<c>13a</c>), else the snake_case name; this is what the configuration writer emits.
    /// </summary>
    public static IEnumerable<string> EnumNames(Type enumType) =>
        enumType.GetFields(BindingFlags.Public | BindingFlags.Static).Select(EnumName);

    /// <summary>The YAML spelling of one enum value (see <see cref="EnumNames"/>).</summary>
    public static string EnumName(Enum value) =>
        value.GetType().GetField(value.ToString()) is { } field ? EnumName(field) : value.ToString();

    private static string EnumName(FieldInfo field) =>
        field.GetCustomAttribute<EnumMemberAttribute>()?.Value ?? Naming.Apply(field.Name);

    private static string Plural(string description) => description switch
    {
        "an integer" => "integers",
        "a number" => "numbers",
        "true or false" => "booleans",
        _ => description,
    };

    private static Type? ElementType(Type type)
    {
        if (type.IsArray) return type.GetElementType();
        if (type == typeof(string)) return null;
        var enumerable = type.GetInterfaces().Append(type)
            .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>));
        return enumerable?.GetGenericArguments()[0];
    }
}
