using System.Text.Json;
using SignTranslate.Losses;

namespace SignTranslate.Tests.Losses;

/// <summary>One reference case of <c>testdata/signcl</c> (format: that folder's README).</summary>
internal sealed record SignClVector(
    string Variant, int Batch, int Frames, int Dim, int Margin, int PositiveSamples, int NegativeSamples,
    double MaxDistance, double Temperature, float[] Input, SequenceDraw Draw, double Loss, double[] Grad)
{
    public const string Folder = "signcl";
    public const string EnvironmentVariable = "SLT_SIGNCL_VECTORS";

    public static TheoryData<string> Cases() => TestFixtures.JsonCases(Folder, EnvironmentVariable);

    public bool IsInfoNce => Variant == "infonce";

    public static SignClVector Load(string fileName)
    {
        var path = Path.Combine(TestFixtures.Folder(Folder, EnvironmentVariable), fileName);
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var root = document.RootElement;
        var frames = root.GetProperty("frames").GetInt32();
        var anchors = root.GetProperty("anchors").EnumerateArray()
            .Select(a => new AnchorDraw(
                a.GetProperty("i").GetInt32(),
                a.GetProperty("pos").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
                a.GetProperty("neg").EnumerateArray().Select(e => e.GetInt32()).ToArray()))
            .ToArray();
        return new SignClVector(
            root.GetProperty("variant").GetString()!,
            root.GetProperty("batch").GetInt32(),
            frames,
            root.GetProperty("dim").GetInt32(),
            root.GetProperty("margin").GetInt32(),
            root.GetProperty("pos_samples").GetInt32(),
            root.GetProperty("neg_samples").GetInt32(),
            root.TryGetProperty("max_distance", out var maxDistance) ? maxDistance.GetDouble() : double.NaN,
            root.TryGetProperty("temperature", out var temperature) ? temperature.GetDouble() : double.NaN,
            root.GetProperty("input").EnumerateArray().Select(e => e.GetSingle()).ToArray(),
            new SequenceDraw(frames, anchors),
            root.GetProperty("loss").GetDouble(),
            root.GetProperty("grad").EnumerateArray().Select(e => e.GetDouble()).ToArray());
    }
}
