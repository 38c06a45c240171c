using System.Text.RegularExpressions;
using YamlDotNet.Core;

namespace SignTranslate.Config;

public static partial class ConfigLoader
{
    /// <summary>Turns deserializer errors and validation problems into messages naming file:line, or the --set, and the key.</summary>
    private sealed partial class ErrorContext(
        Type rootType, string sourceName, YamlKeyMap original, YamlKeyMap effective, IReadOnlyList<ConfigOverride> overrides)
    {
        public string Explain(YamlException e)
        {
            var (mark, message) = Innermost(e);
            var located = effective.Locate(mark);
            var path = located?.Entry.Path ?? "";
            bool atKey = located?.AtKey ?? false;

            var unknown = UnknownPropertyPattern().Match(message);
            if (unknown.Success)
            {
                var key = unknown.Groups["key"].Value;
                var section = atKey ? Parent(path) : path;
                var full = section.Length == 0 ? key : $"{section}.{key}";
                var sectionType = ConfigSchema.TypeAt(rootType, YamlKeyMap.Split(section));
                var valid = sectionType is null ? "" : $" (expected one of: {string.Join(", ", ConfigSchema.Keys(sectionType).Select(k => k.Key))})";
                return $"{Where(full)}: unknown key '{full}'{valid}";
            }

            var duplicate = DuplicateKeyPattern().Match(message);
            if (duplicate.Success)
                return $"{Where(path)}: duplicate key '{path}'";

            var missing = MissingPattern().Match(message);
            if (missing.Success)
            {
                path = effective.InnermostMappingBefore(mark)?.Path ?? path;
                var keys = QuotedPattern().Matches(missing.Groups["keys"].Value).Select(m => Join(path, ConfigSchema.Naming.Apply(m.Groups[1].Value)));
                return $"{Where(path)}: missing required key(s): {string.Join(", ", keys)}";
            }

            var expected = ConfigSchema.TypeAt(rootType, YamlKeyMap.Split(path));
            var node = located?.Entry.ValueNode;
            if (message.Contains("nullability", StringComparison.OrdinalIgnoreCase))
                return $"{Where(path)}: '{path}' must have a value" + (expected is null ? "" : $" ({ConfigSchema.Describe(expected)})");
            if (expected is not null && node is not null)
                return $"{Where(path)}: '{path}' expects {ConfigSchema.Describe(expected)}, got {Kind(node)}";
            return $"{Where(path)}: {message}";
        }

        public string Explain(ConfigProblem problem) => $"{Where(problem.Key)}: '{problem.Key}' {problem.Message}";

        /// <summary>The --set that set this key (or a key inside it), else file:line:column of the key or its nearest enclosing section.</summary>
        private string Where(string path)
        {
            var setBy = overrides.LastOrDefault(o => o.Covers(path) || (path.Length > 0 && o.Key.StartsWith(path + ".", StringComparison.Ordinal)));
            if (setBy is not null)
                return $"--set {setBy.Original}";
            for (var p = path; ; p = Parent(p))
            {
                var entry = original.Find(p);
                if (entry is not null)
                {
                    var mark = entry.KeyNode?.Start ?? entry.ValueNode.Start;
                    return $"{sourceName}:{mark.Line}:{mark.Column}";
                }
                if (p.Length == 0) return sourceName;
            }
        }

        private static string Parent(string path)
        {
            int cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
            return cut < 0 ? "" : path[..cut];
        }

        private static string Join(string section, string key) => section.Length == 0 ? key : $"{section}.{key}";

        [GeneratedRegex(@"Property '(?<key>[^']+)' not found on type")]
        private static partial Regex UnknownPropertyPattern();

        [GeneratedRegex(@"Missing properties,? (?<keys>.*) in source yaml", RegexOptions.IgnoreCase)]
        private static partial Regex MissingPattern();

        [GeneratedRegex(@"'([^']+)'")]
        private static partial Regex QuotedPattern();
    }
}
