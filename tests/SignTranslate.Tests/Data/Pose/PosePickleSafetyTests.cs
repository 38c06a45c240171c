using System.Text.Json;
using SignTranslate.Data;
using SignTranslate.Data.Pose;

namespace SignTranslate.Tests.Data.Pose;

/// <summary>
/// Pickles that name a global outside numpy's rebuilders are refused before anything is unpickled; the fixtures'
/// payload would create a marker file if it ran (tests/fixtures/testdata/pose/README.md).
/// </summary>
public sealed class PosePickleSafetyTests
{
    private static string Folder => Path.Combine(TestFixtures.Folder("pose", "SLT_POSE_TESTDATA"), "malicious");

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Folder, "*.pkl").Order(StringComparer.Ordinal)) data.Add(Path.GetFileName(file));
        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void AMaliciousPickleIsRefusedNamingTheGlobal(string name)
    {
        using var expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "refusals.json")));
        var marker = expected.RootElement.GetProperty("marker").GetString()!;
        var global = expected.RootElement.GetProperty("refused").GetProperty(name).GetString()!;
        var path = Path.Combine(Folder, name);

        var error = Assert.Throws<KeypointFileException>(() => KeypointFileReader.Read(path));

        Assert.Equal($"{path}: refused: the pickle calls {global}; a keypoint pickle holds only numpy arrays", error.Message);
        Assert.False(File.Exists(marker), $"{marker} exists: a pickle's payload ran");
    }

    [Fact]
    public void TheNumpyConstructorsLeaveOtherPickleReadersReportingNumpyContentAsAFormatError()
    {
        // A labels file whose root is a numpy-holding dict, read after the keypoint reader registered its constructors.
        var pickle = Directory.GetDirectories(TestFixtures.Folder("pose", "SLT_POSE_TESTDATA"))
            .Select(f => Path.Combine(f, "unisign.pkl")).First(File.Exists);
        KeypointFileReader.Read(pickle);
        var labels = Path.Combine(Directory.CreateTempSubdirectory("slt-pose-labels-").FullName, "labels.dev");
        File.Copy(pickle, labels);
        try
        {
            var error = Assert.Throws<DataFormatException>(() => LabelsFileReader.Read(labels));
            Assert.Contains("sample 'keypoints'", error.Message);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(labels)!, recursive: true);
        }
    }

    [Fact]
    public void AGlobalWhoseNameIsNotALiteralIsRefused()
    {
        // STACK_GLOBAL over names the scan cannot know (built by a REDUCE), which a reader must not guess.
        byte[] pickle = [0x80, 0x04, 0x8c, 0x02, (byte)'o', (byte)'s', 0x8c, 0x01, (byte)'x', 0x85, (byte)'R', 0x93, (byte)'.'];
        var path = Path.Combine(Path.GetTempPath(), $"slt-pose-{Guid.NewGuid():N}.pkl");
        File.WriteAllBytes(path, pickle);
        try
        {
            var error = Assert.Throws<KeypointFileException>(() => KeypointFileReader.Read(path));
            Assert.Contains("refused: the pickle calls a global whose name the scan cannot read", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
