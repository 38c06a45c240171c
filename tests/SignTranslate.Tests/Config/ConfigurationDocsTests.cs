using SignTranslate.Config;
using SignTranslate.Training;

namespace SignTranslate.Tests.Config;

public class ConfigurationDocsTests
{
    private const string Begin = "<!-- BEGIN GENERATED: slt config keys --markdown -->";
    private const string End = "<!-- END GENERATED -->";

    [Fact]
    public void DocsConfigurationListsEveryKeyAsTheCodeDefinesIt()
    {
        var doc = File.ReadAllText(Path.Combine(TestFixtures.RepositoryRoot, "docs", "configuration.md")).Replace("\r\n", "\n");
        int begin = doc.IndexOf(Begin, StringComparison.Ordinal), end = doc.IndexOf(End, StringComparison.Ordinal);
        Assert.True(begin >= 0 && end > begin, "docs/configuration.md lacks the generated-reference markers");
        var committed = doc[(begin + Begin.Length)..end].Trim('\n');
        Assert.True(committed == ConfigReference.Markdown(typeof(ExperimentConfig)).Trim('\n'),
            "docs/configuration.md is out of date: run scripts/update-config-docs.sh");
    }

    [Fact]
    public void EveryKeyHasAMeaning()
    {
        var undocumented = ConfigReference.Sections(typeof(ExperimentConfig)).SelectMany(s => s.Keys).Where(k => k.Meaning.Length == 0).Select(k => k.Path);
        Assert.Empty(undocumented);
    }

    [Fact]
    public void ReferenceShowsDefaultsTypesAndNestedPaths()
    {
        var keys = ConfigReference.Sections(typeof(ExperimentConfig)).SelectMany(s => s.Keys).ToDictionary(k => k.Path);
        Assert.Equal("42", keys["run.seed"].Default);
        Assert.Equal("an integer", keys["run.seed"].Type);
        Assert.Equal("[0.485, 0.456, 0.406]", keys["data.frames.mean"].Default);
        Assert.StartsWith("one of: ", keys["data.kind"].Type);
    }
}
