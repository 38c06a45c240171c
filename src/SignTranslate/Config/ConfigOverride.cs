using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace SignTranslate.Config;

/// <summary>One <c>--set key.path=value</c> from the command line. The value is read as YAML (so <c>[1, 2]</c> is a list).</summary>
public sealed record ConfigOverride(string Key, string Value, string Original)
{
    public static ConfigOverride Parse(string text)
    {
        int equals = text.IndexOf('=');
        if (equals <= 0)
            throw new ConfigException($"--set {text}: expected key.path=value, e.g. --set run.seed=7");
        var key = text[..equals].Trim();
        var segments = key.Split('.');
        if (segments.Any(s => s.Length == 0 || s.Any(char.IsWhiteSpace)))
            throw new ConfigException($"--set {text}: '{key}' is not a valid key path (dot-separated names, e.g. run.seed)");
        return new ConfigOverride(key, text[(equals + 1)..], text);
    }

    /// <summary>True if <paramref name="path"/> is this override's key or lies inside it.</summary>
    public bool Covers(string path) =>
        path == Key || path.StartsWith(Key + ".", StringComparison.Ordinal) || path.StartsWith(Key + "[", StringComparison.Ordinal);

    internal void ApplyTo(YamlMappingNode root)
    {
        var segments = Key.Split('.');
        var mapping = root;
        for (int i = 0; i < segments.Length - 1; i++)
        {
            var name = new YamlScalarNode(segments[i]);
            if (!mapping.Children.TryGetValue(name, out var child) || child is YamlScalarNode { Value: null or "" })
            {
                var created = new YamlMappingNode();
                mapping.Children[name] = created;
                mapping = created;
            }
            else if (child is YamlMappingNode section)
            {
                mapping = section;
            }
            else
            {
                throw new ConfigException($"--set {Original}: '{string.Join('.', segments[..(i + 1)])}' is a value, not a section");
            }
        }
        mapping.Children[new YamlScalarNode(segments[^1])] = ParseValue();
    }

    private YamlNode ParseValue()
    {
        if (Value.Length == 0) return new YamlScalarNode("") { Style = ScalarStyle.DoubleQuoted };
        try
        {
            var stream = ConfigLoader.LoadYaml(Value);
            return stream.Documents.Count == 0 ? new YamlScalarNode(Value) : stream.Documents[0].RootNode;
        }
        catch (YamlException)
        {
            // Not valid YAML on its own (e.g. "a: b: c"): take it literally as text.
            return new YamlScalarNode(Value) { Style = ScalarStyle.DoubleQuoted };
        }
    }
}
