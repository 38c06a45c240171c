using System.Text.RegularExpressions;
using SignTranslate.Files;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization;

namespace SignTranslate.Config;

/// <summary>
/// Strict YAML loading into immutable configuration records. Unknown keys, wrong types, duplicate keys and missing
/// required values are errors (<see cref="ConfigException"/>) that name the file, line and key — or the
/// <c>--set</c> override that caused them.
/// </summary>
public static partial class ConfigLoader
{
    /// <summary>Loads a configuration file of records <typeparamref name="T"/> and applies <c>--set</c> overrides (each <c>key.path=value</c>).</summary>
    public static T Load<T>(string path, IReadOnlyList<string>? overrides = null) where T : class
    {
        if (!File.Exists(path) && !Directory.Exists(path))
            throw new ConfigException($"{path}: configuration file not found");
        return Parse<T>(UserFiles.ReadAllText(path, "configuration file"), path, overrides);
    }

    /// <summary>Parses YAML text; <paramref name="sourceName"/> is what error messages call the file.</summary>
    public static T Parse<T>(string yaml, string sourceName, IReadOnlyList<string>? overrides = null) where T : class
    {
        var parsedOverrides = (overrides ?? []).Select(ConfigOverride.Parse).ToList();
        var original = LoadRepresentation(yaml, sourceName);
        var originalKeys = new YamlKeyMap(original);

        string effectiveYaml = yaml;
        YamlKeyMap effectiveKeys = originalKeys;
        if (parsedOverrides.Count > 0)
        {
            var root = original ?? new YamlMappingNode();
            foreach (var o in parsedOverrides) o.ApplyTo(root);
            effectiveYaml = Serialize(root);
            effectiveKeys = new YamlKeyMap(LoadRepresentation(effectiveYaml, "(after --set)"));
        }

        var errors = new ErrorContext(typeof(T), sourceName, originalKeys, effectiveKeys, parsedOverrides);
        T? result;
        try
        {
            result = string.IsNullOrWhiteSpace(effectiveYaml) ? null : CreateDeserializer().Deserialize<T>(effectiveYaml);
        }
        catch (YamlException e)
        {
            throw new ConfigException(errors.Explain(e));
        }
        result ??= Activator.CreateInstance<T>();

        if (result is IValidatableConfig validatable)
        {
            var problems = validatable.Validate().ToList();
            if (problems.Count > 0)
                throw new ConfigException(string.Join(Environment.NewLine, problems.Select(errors.Explain)));
        }
        return result;
    }

    public static IDeserializer CreateDeserializer() => new DeserializerBuilder()
        .WithNamingConvention(ConfigSchema.Naming)
        .WithEnumNamingConvention(ConfigSchema.Naming)
        .WithTypeConverter(new EnumMemberValues())
        .WithEnforceRequiredMembers()
        .WithEnforceNullability()
        .WithDuplicateKeyChecking()
        .WithTypeInspector(inner => new NullableValueTypes(inner))
        .Build();

    private static YamlMappingNode? LoadRepresentation(string yaml, string sourceName)
    {
        YamlStream stream;
        try
        {
            stream = LoadYaml(yaml);
        }
        catch (YamlException e)
        {
            var (mark, message) = Innermost(e);
            var duplicate = DuplicateKeyPattern().Match(message);
            if (duplicate.Success)
                throw new ConfigException($"{sourceName}:{mark.Line}:{mark.Column}: duplicate key '{duplicate.Groups["key"].Value}'");
            throw new ConfigException($"{sourceName}:{mark.Line}:{mark.Column}: invalid YAML: {message}");
        }
        if (stream.Documents.Count == 0) return null;
        if (stream.Documents.Count > 1)
            throw new ConfigException($"{sourceName}: expected one YAML document, found {stream.Documents.Count}");
        return stream.Documents[0].RootNode switch
        {
            YamlMappingNode mapping => mapping,
            YamlScalarNode { Value: null or "" } => null,
            var other => throw new ConfigException(
                $"{sourceName}:{other.Start.Line}:{other.Start.Column}: the top level must be a mapping of sections (e.g. 'run:'), found {Kind(other)}"),
        };
    }

    /// <summary>
    /// Parses YAML text. YamlDotNet's scanner throws <see cref="InvalidOperationException"/> instead of a
    /// <see cref="YamlException"/> for some unclosed flow collections (<c>x: [a</c> followed by another line); that
    /// becomes a YamlException at the last position the parser understood, so it is reported like any syntax error.
    /// </summary>
    internal static YamlStream LoadYaml(string yaml)
    {
        var parser = new Parser(new StringReader(yaml));
        var stream = new YamlStream();
        try
        {
            stream.Load(parser);
        }
        catch (InvalidOperationException)
        {
            // No inner exception: the scanner's message ("Operation is not valid ...") would replace this one.
            var where = parser.Current?.End ?? Mark.Empty;
            throw new YamlException(where, where,
                "cannot parse what follows; is a flow list '[' or mapping '{' left unclosed before this point?");
        }
        return stream;
    }

    private static string Serialize(YamlMappingNode root)
    {
        var writer = new StringWriter();
        new YamlStream(new YamlDocument(root)).Save(writer, assignAnchors: false);
        return writer.ToString();
    }

    internal static (Mark Mark, string Message) Innermost(YamlException e)
    {
        var mark = e.Start;
        var message = e.Message;
        for (Exception? inner = e.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is YamlException y) mark = y.Start;
            message = inner.Message;
        }
        // YamlDotNet prefixes messages with "(Line: 3, Col: 5, Idx: 20) - (...): "; the position is reported separately.
        message = PositionPrefixPattern().Replace(message, "");
        return (mark, message);
    }

    internal static string Kind(YamlNode node) => node switch
    {
        YamlMappingNode => "a section",
        YamlSequenceNode => "a list",
        YamlScalarNode s => $"'{s.Value}'",
        _ => node.NodeType.ToString(),
    };

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ")]
    private static partial Regex PositionPrefixPattern();

    [GeneratedRegex(@"[Dd]uplicate key:? '?(?<key>[^'\r\n]+?)'?\.?$")]
    internal static partial Regex DuplicateKeyPattern();
}
