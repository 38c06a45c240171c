using System.Text.Json;
using SignTranslate.Metrics;

namespace SignTranslate.Tests.Metrics;

/// <summary>One reference vector of <c>testdata/metrics</c> (schema in its README.md).</summary>
public sealed class MetricsVector
{
    public const string Subfolder = "metrics";
    public const string EnvironmentVariable = "SLT_METRICS_VECTORS";

    private MetricsVector(JsonElement root) => Root = root;

    public JsonElement Root { get; }

    public static TheoryData<string> Files() => TestFixtures.JsonCases(Subfolder, EnvironmentVariable);

    public static MetricsVector Load(string fileName)
    {
        var path = Path.Combine(TestFixtures.Folder(Subfolder, EnvironmentVariable), fileName);
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        return new MetricsVector(document.RootElement.Clone());
    }

    public ScoringOptions Options
    {
        get
        {
            Assert.True(BleuTokenizers.TryParse(String("tokenize"), out var tokenizer), $"unknown tokenize {String("tokenize")}");
            var preprocess = String("preprocess");
            Assert.Contains(preprocess, new[] { "none", "char_split" });
            return new ScoringOptions
            {
                Tokenize = tokenizer,
                Lowercase = Root.GetProperty("lowercase").GetBoolean(),
                CharSplit = preprocess == "char_split",
            };
        }
    }

    public string String(string name) => Root.GetProperty(name).GetString()!;

    public double Double(string name) => Root.GetProperty(name).GetDouble();

    public long Long(string name) => Root.GetProperty(name).GetInt64();

    public bool Has(string name) => Root.TryGetProperty(name, out _);

    public string[] Strings(string name) => [.. Root.GetProperty(name).EnumerateArray().Select(e => e.GetString()!)];

    public double[] Doubles(string name) => Doubles(Root.GetProperty(name));

    public long[] Longs(string name) => Longs(Root.GetProperty(name));

    public static double[] Doubles(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetDouble())];

    public static long[] Longs(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetInt64())];
}
