using SignTranslate.Metrics;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace SignTranslate.Tests.Metrics;

public class ScoringOptionsTests
{
    [Fact]
    public void DefaultsAreTheReferenceScriptsSettings()
    {
        var options = new ScoringOptions();

        Assert.Equal(BleuTokenizer.Mteval13a, options.Tokenize);
        Assert.False(options.Lowercase);
        Assert.False(options.CharSplit);
        Assert.Equal("nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.2.0", options.Signature());
    }

    [Fact]
    public void SnakeCaseYamlWithSacreBleuTokenizerNamesRoundTrips()
    {
        var deserializer = new DeserializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).Build();
        var serializer = new SerializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).Build();

        var options = deserializer.Deserialize<ScoringOptions>("tokenize: zh\nlowercase: true\nchar_split: true\n");

        Assert.Equal(new ScoringOptions { Tokenize = BleuTokenizer.Zh, Lowercase = true, CharSplit = true }, options);
        var yaml = serializer.Serialize(options);
        Assert.Equal("tokenize: zh\nlowercase: true\nchar_split: true\n", yaml.ReplaceLineEndings("\n"));
        Assert.Equal(options, deserializer.Deserialize<ScoringOptions>(yaml));
        Assert.Equal(BleuTokenizer.Mteval13a, deserializer.Deserialize<ScoringOptions>("tokenize: 13a\n").Tokenize);
    }
}
