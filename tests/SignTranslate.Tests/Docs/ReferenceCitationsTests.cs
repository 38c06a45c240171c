using System.Text.RegularExpressions;

namespace SignTranslate.Tests.Docs;

/// <summary>
/// Code, configs, scripts and docs cite the description of the reference system by anchor
/// (<c>docs/reference.md#s11.9</c>); these tests keep every such citation resolvable in a plain clone, where no
/// document outside the repository exists.
/// </summary>
public partial class ReferenceCitationsTests
{
    private static readonly string[] CitingFolders = ["src", "tests", "scripts", "configs", "docs"];

    // Folders where a section sign may only appear in a citation of the SignCL paper: in code, configs and scripts a
    // reference section is always written as its anchor, so any other section sign is an old-style citation.
    private static readonly string[] AnchorOnlyFolders = ["src", "tests", "scripts", "configs"];

    private static string Root => TestFixtures.RepositoryRoot;
    private static string ReferencePath => Path.Combine(Root, "docs", "reference.md");

    // The name of the specification that used to live outside the repository, split so that this file does not
    // match its own search (nor a grep for the name).
    private const string OldSpecificationName = "reference" + "-spec";

    private const char SectionSign = '\u00A7';

    [GeneratedRegex(@"<a id=""([^""]+)""></a>")]
    private static partial Regex AnchorPattern();

    // Anything that looks like a fragment, so a misspelt one (e.g. "#S11.9") is reported rather than ignored.
    [GeneratedRegex(@"reference\.md#([A-Za-z0-9_.\-]*)")]
    private static partial Regex CitationPattern();

    [GeneratedRegex(@"\]\(#([A-Za-z0-9_.\-]*)\)")]
    private static partial Regex InternalLinkPattern();

    // A markdown link, as pages under docs/ and the scripts that generate them write it: the label "reference" plus
    // the section sign and number, pointing at the anchor of that number in reference.md.
    [GeneratedRegex(@"\[(?:reference )?\u00A7([0-9.]+)\]\(reference\.md#s([0-9.]+)\)")]
    private static partial Regex SectionLinkPattern();

    [Fact]
    public void EveryCitedSectionHasAnAnchorInTheReference()
    {
        var anchors = Anchors();
        var dangling = new List<string>();
        var citations = 0;
        foreach (var (file, lineNumber, line) in Lines(CitingFolders))
            foreach (Match match in CitationPattern().Matches(line))
            {
                citations++;
                var id = match.Groups[1].Value.TrimEnd('.');
                if (!anchors.Contains(id)) dangling.Add($"{file}:{lineNumber}: #{id}");
            }

        var reference = File.ReadAllLines(ReferencePath);
        for (var i = 0; i < reference.Length; i++)
            foreach (Match match in InternalLinkPattern().Matches(reference[i]))
                if (!anchors.Contains(match.Groups[1].Value))
                    dangling.Add($"docs/reference.md:{i + 1}: #{match.Groups[1].Value}");

        Assert.True(citations > 0, "no citation of a reference.md anchor found: the scan itself is broken");
        Assert.True(dangling.Count == 0, "citations without an <a id> anchor in docs/reference.md:\n" + string.Join("\n", dangling));
    }

    [Fact]
    public void ReferenceAnchorsAreUnique()
    {
        var duplicates = AnchorPattern().Matches(File.ReadAllText(ReferencePath)).Select(m => m.Groups[1].Value)
            .GroupBy(id => id).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(duplicates.Count == 0, "anchors defined twice: " + string.Join(", ", duplicates));
    }

    [Fact]
    public void SectionLinkLabelsMatchTheirAnchors()
    {
        var wrong = new List<string>();
        foreach (var (file, lineNumber, line) in Lines(CitingFolders))
            foreach (Match match in SectionLinkPattern().Matches(line))
                if (match.Groups[1].Value != match.Groups[2].Value)
                    wrong.Add($"{file}:{lineNumber}: {match.Value}");
        Assert.True(wrong.Count == 0, "link text names another section than its anchor:\n" + string.Join("\n", wrong));
    }

    [Fact]
    public void NoFileNamesTheOldSpecification()
    {
        var hits = Lines(CitingFolders)
            .Where(l => l.Text.Contains(OldSpecificationName, StringComparison.OrdinalIgnoreCase))
            .Select(l => $"{l.File}:{l.Number}: {l.Text.Trim()}")
            .ToList();
        Assert.True(hits.Count == 0, "cite the section anchor in docs/reference.md instead:\n" + string.Join("\n", hits));
    }

    [Fact]
    public void SectionSignsInCodeAreOnlyPaperCitations()
    {
        var hits = new List<string>();
        foreach (var (file, lineNumber, line) in Lines(AnchorOnlyFolders))
        {
            var allowed = SectionLinkPattern().Matches(line).SelectMany(m => Enumerable.Range(m.Index, m.Length)).ToHashSet();
            for (var i = line.IndexOf(SectionSign); i >= 0; i = line.IndexOf(SectionSign, i + 1))
            {
                var before = line[..i];
                if (before.EndsWith("paper ", StringComparison.Ordinal) || before.EndsWith("Paper ", StringComparison.Ordinal)) continue;
                if (allowed.Contains(i)) continue;
                hits.Add($"{file}:{lineNumber}: {line.Trim()}");
                break;
            }
        }
        Assert.True(hits.Count == 0,
            $"a {SectionSign} outside a paper citation (cite the docs/reference.md anchor, or write \"paper {SectionSign}N\" for the paper):\n"
            + string.Join("\n", hits));
    }

    private static HashSet<string> Anchors() =>
        AnchorPattern().Matches(File.ReadAllText(ReferencePath)).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);

    private static IEnumerable<(string File, int Number, string Text)> Lines(IEnumerable<string> folders)
    {
        foreach (var folder in folders)
        {
            var path = Path.Combine(Root, folder);
            if (!Directory.Exists(path)) continue;
            foreach (var file in Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var relative = Path.GetRelativePath(Root, file);
                if (IsBuildOutput(relative) || !IsText(file)) continue;
                var lines = File.ReadAllLines(file);
                for (var i = 0; i < lines.Length; i++)
                    yield return (relative.Replace('\\', '/'), i + 1, lines[i]);
            }
        }
    }

    private static bool IsBuildOutput(string relative) =>
        relative.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar)
            .Any(part => part is "bin" or "obj" or "TestResults" or "runs");

    // Binary fixtures and images would only produce noise; a NUL byte near the start marks them.
    private static bool IsText(string file)
    {
        using var stream = File.OpenRead(file);
        var head = new byte[Math.Min(8192, stream.Length)];
        stream.ReadExactly(head);
        return Array.IndexOf(head, (byte)0) < 0;
    }
}
