using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace SignTranslate.Config;

/// <summary>Every key and value of a parsed YAML document with its dotted path and position, to turn a parser mark into a key path.</summary>
internal sealed class YamlKeyMap
{
    public sealed record Entry(string Path, YamlNode? KeyNode, YamlNode ValueNode)
    {
        /// <summary>Index just past the last character of the value, children included (YamlDotNet leaves End unset on block mappings).</summary>
        public long Extent { get; set; }
    }

    private readonly List<Entry> _entries = [];

    public YamlKeyMap(YamlNode? root)
    {
        if (root is not null) Walk(root, "", keyNode: null);
    }

    public IReadOnlyList<Entry> Entries => _entries;

    public Entry? Find(string path) => _entries.FirstOrDefault(e => e.Path == path);

    /// <summary>The entry the mark points at: its key, its value, or the innermost value that contains the mark.</summary>
    public (Entry Entry, bool AtKey)? Locate(Mark mark)
    {
        foreach (var entry in _entries)
            if (entry.KeyNode is not null && entry.KeyNode.Start.Index == mark.Index)
                return (entry, true);
        Entry? best = null;
        foreach (var entry in _entries)
        {
            bool contains = entry.ValueNode.Start.Index <= mark.Index && mark.Index <= entry.Extent;
            if (contains && (best is null || entry.ValueNode.Start.Index >= best.ValueNode.Start.Index))
                best = entry;
        }
        return best is null ? null : (best, false);
    }

    /// <summary>The deepest mapping that starts at or before the mark (a "missing key" error points at the end of its mapping).</summary>
    public Entry? InnermostMappingBefore(Mark mark) => _entries
        .Where(e => e.ValueNode is YamlMappingNode && e.ValueNode.Start.Index <= mark.Index && mark.Index <= e.Extent + 1)
        .OrderBy(e => e.ValueNode.Start.Index)
        .LastOrDefault();

    private long Walk(YamlNode node, string path, YamlNode? keyNode)
    {
        var entry = new Entry(path, keyNode, node);
        _entries.Add(entry);
        long extent = Math.Max(node.Start.Index, node.End.Index);
        switch (node)
        {
            case YamlMappingNode mapping:
                foreach (var (key, value) in mapping.Children)
                {
                    var name = key is YamlScalarNode scalar ? scalar.Value ?? "" : key.ToString();
                    extent = Math.Max(extent, Walk(value, path.Length == 0 ? name : $"{path}.{name}", key));
                }
                break;
            case YamlSequenceNode sequence:
                for (int i = 0; i < sequence.Children.Count; i++)
                    extent = Math.Max(extent, Walk(sequence.Children[i], $"{path}[{i}]", keyNode: null));
                break;
        }
        entry.Extent = extent;
        return extent;
    }

    public static string[] Split(string path) =>
        path.Replace("[", ".[").Split('.', StringSplitOptions.RemoveEmptyEntries);
}
