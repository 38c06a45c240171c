using System.Text.Json;
using SignTranslate.Data.Pose;

namespace SignTranslate.Tests.Data.Pose;

/// <summary>
/// Every case folder of <c>tests/fixtures/testdata/pose</c> (or of <c>SLT_POSE_TESTDATA</c>) holds the same keypoints
/// as a Uni-Sign pickle, an OpenPose folder and an own-format file, plus <c>expected.json</c>: each reader must give
/// exactly the expected values (scripts/vectors/make-pose-fixtures.py).
/// </summary>
public sealed class PoseFormatParityTests
{
    private const string Variable = "SLT_POSE_TESTDATA";

    private static string Folder => TestFixtures.Folder("pose", Variable);

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var folder in Directory.GetDirectories(Folder).Order(StringComparer.Ordinal))
            if (File.Exists(Path.Combine(folder, "expected.json")))
                foreach (var file in new[] { "unisign.pkl", "openpose", "keypoints.safetensors" })
                    data.Add(Path.GetFileName(folder), file);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void EveryFormatReadsTheExpectedKeypoints(string @case, string file)
    {
        using var expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, @case, "expected.json")));
        var frames = expected.RootElement.GetProperty("frames").GetInt32();
        var values = expected.RootElement.GetProperty("values").EnumerateArray().Select(v => v.GetSingle()).ToArray();

        var sequence = KeypointFileReader.Read(Path.Combine(Folder, @case, file));

        Assert.Equal(frames, sequence.Frames);
        Assert.Equal(values.Length, sequence.Values.Length);
        for (var i = 0; i < values.Length; i++)
            if (values[i] != sequence.Values[i])
                Assert.Fail($"{@case}/{file}: value {i} (frame {i / 399}, joint {i / 3 % 133}, channel {i % 3}) is {sequence.Values[i]}, expected {values[i]}");
    }

    [Fact]
    public void TheFixturesHaveCases() => Assert.NotEmpty(Cases());
}
