using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace SignTranslate.Config;

/// <summary>
/// Every configuration key with its type, default and meaning, taken from the records themselves and their XML doc
/// comments, so the reference (<c>slt config keys</c>, docs/configuration.md) cannot drift from the code.
/// </summary>
public static partial class ConfigReference
{
    public sealed record Key(string Path, string Type, string Default, string Meaning);

    public sealed record Section(string Name, string Meaning, IReadOnlyList<Key> Keys);

    /// <summary>
    /// The sections of the configuration records <paramref name="rootType"/> (each of its properties is one), read from
    /// <paramref name="defaults"/> or a new instance.
    /// </summary>
    public static IReadOnlyList<Section> Sections(Type rootType, object? defaults = null)
    {
        defaults ??= Activator.CreateInstance(rootType)!;
        var docs = XmlDocs.For(rootType.Assembly);
        var sections = new List<Section>();
        foreach (var (name, property) in ConfigSchema.Keys(rootType))
        {
            var keys = new List<Key>();
            Collect(property.PropertyType, property.GetValue(defaults), name, docs, keys);
            sections.Add(new Section(name, docs.Summary(property), keys));
        }
        return sections;
    }

    /// <summary>The reference as Markdown: one heading and one table per top-level section.</summary>
    public static string Markdown(Type rootType)
    {
        var text = new StringBuilder();
        foreach (var section in Sections(rootType))
        {
            text.Append("## `").Append(section.Name).Append("`\n\n");
            if (section.Meaning.Length > 0) text.Append(section.Meaning).Append("\n\n");
            text.Append("| key | default | type | meaning |\n|---|---|---|---|\n");
            foreach (var key in section.Keys)
                text.Append(CultureInfo.InvariantCulture, $"| `{key.Path}` | {Cell(key.Default)} | {key.Type} | {key.Meaning.Replace("|", "\\|")} |\n");
            text.Append('\n');
        }
        return text.ToString();
    }

    private static string Cell(string value) => value.Length == 0 ? "(empty)" : $"`{value.Replace("|", "\\|")}`";

    private static void Collect(Type type, object? value, string path, XmlDocs docs, List<Key> keys)
    {
        if (ConfigSchema.IsSection(type) && value is not null)
        {
            foreach (var (name, property) in ConfigSchema.Keys(type))
            {
                var childPath = $"{path}.{name}";
                var childValue = property.GetValue(value);
                if (ConfigSchema.IsSection(property.PropertyType) && childValue is not null)
                    Collect(property.PropertyType, childValue, childPath, docs, keys);
                else
                    keys.Add(new Key(childPath, ConfigSchema.Describe(property.PropertyType), Format(childValue), docs.Summary(property)));
            }
            return;
        }
        keys.Add(new Key(path, ConfigSchema.Describe(type), Format(value), ""));
    }

    private static string Format(object? value) => value switch
    {
        null => "~",
        string s => s,
        bool b => b ? "true" : "false",
        Enum e => ConfigSchema.EnumName(e),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable items => "[" + string.Join(", ", items.Cast<object?>().Select(Format)) + "]",
        _ => value.ToString() ?? "",
    };

    /// <summary>Summaries from the assembly's XML documentation file, flattened to one line of Markdown.</summary>
    private sealed partial class XmlDocs(Dictionary<string, string> summaries)
    {
        public static XmlDocs For(Assembly assembly)
        {
            var path = Path.ChangeExtension(assembly.Location, ".xml");
            var summaries = new Dictionary<string, string>();
            if (File.Exists(path))
                foreach (var member in XDocument.Load(path).Descendants("member"))
                    if (member.Attribute("name")?.Value is { } name && member.Element("summary") is { } summary)
                        summaries[name] = Flatten(summary);
            return new XmlDocs(summaries);
        }

        public string Summary(PropertyInfo property) =>
            summaries.TryGetValue($"P:{property.DeclaringType!.FullName!.Replace('+', '.')}.{property.Name}", out var text) ? text : "";

        private static string Flatten(XElement summary)
        {
            var text = new StringBuilder();
            foreach (var node in summary.Nodes())
                text.Append(node switch
                {
                    XText t => t.Value,
                    XElement { Name.LocalName: "c" } c => $"`{c.Value}`",
                    XElement { Name.LocalName: "see" or "seealso" } see => $"`{ShortName(see)}`",
                    XElement { Name.LocalName: "paramref" or "typeparamref" } p => $"`{p.Attribute("name")?.Value}`",
                    XElement other => other.Value,
                    _ => "",
                });
            return Whitespace().Replace(text.ToString(), " ").Trim();
        }

        private static string ShortName(XElement see)
        {
            var target = see.Attribute("cref")?.Value ?? see.Attribute("langword")?.Value ?? see.Value;
            var withoutKind = target.Contains(':') ? target[(target.IndexOf(':') + 1)..] : target;
            var withoutArguments = withoutKind.Split('(')[0];
            var name = withoutArguments[(withoutArguments.LastIndexOf('.') + 1)..];
            return see.Parent is not null && see.Attribute("cref")?.Value is { } cref && (cref.StartsWith("P:", StringComparison.Ordinal) || cref.StartsWith("F:", StringComparison.Ordinal))
                ? ConfigSchema.Naming.Apply(name)
                : name;
        }

        [GeneratedRegex(@"\s+")]
        private static partial Regex Whitespace();
    }
}
