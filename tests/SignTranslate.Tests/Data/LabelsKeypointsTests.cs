using SignTranslate.Data;
using SignTranslate.Data.Synthetic;

namespace SignTranslate.Tests.Data;

/// <summary>The optional <c>keypoints</c> field of labels files: relative to the labels file's folder (docs/datasets.md).</summary>
public sealed class LabelsKeypointsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("slt-labels-pose-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void TheWriterNamesKeypointsRelativeToTheLabelsFileAndTheReaderResolvesThem()
    {
        var path = Path.Combine(_folder, "labels.train");
        var withPose = new SignSample
        {
            Id = "train/a", Text = "with pose", FrameCount = 2, FramePaths = ["train/a/1.png", "train/a/2.png"],
            KeypointFile = Path.Combine(_folder, "keypoints", "train", "a.safetensors"),
        };
        var without = new SignSample { Id = "train/b", Text = "without", FrameCount = 1, FramePaths = ["train/b/1.png"] };

        LabelsFileWriter.Write(path, [withPose, without]);
        var read = LabelsFileReader.Read(path);

        Assert.Equal(Path.Combine(_folder, "keypoints", "train", "a.safetensors"), read[0].KeypointFile);
        Assert.Null(read[1].KeypointFile);
    }

    [Fact]
    public void TheWriterRefusesAKeypointFileOutsideTheLabelsFolder()
    {
        var sample = new SignSample { Id = "x", Text = "t", FrameCount = 0, KeypointFile = Path.Combine(Path.GetTempPath(), "elsewhere.pkl") };

        var error = Assert.Throws<ArgumentException>(() => LabelsFileWriter.Write(Path.Combine(_folder, "labels.dev"), [sample]));

        Assert.Contains("is not inside", error.Message);
    }

    [Theory]
    [InlineData("../outside.pkl", "contains a '..' segment")]
    [InlineData("/etc/passwd", "is an absolute path")]
    public void AKeypointNameLeavingTheFolderIsRefused(string name, string expected)
    {
        var sample = TestLabelsFiles.Sample("dev/x", "t", 1);
        sample["keypoints"] = name;
        var path = Path.Combine(_folder, "labels.dev");
        TestLabelsFiles.Write(path, sample);

        var error = Assert.Throws<DataFormatException>(() => LabelsFileReader.Read(path));

        Assert.Equal(("dev/x", "keypoints"), (error.Sample, error.Field));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void AKeypointFieldMustBeAStr()
    {
        var sample = TestLabelsFiles.Sample("dev/x", "t", 1);
        sample["keypoints"] = 5;
        var path = Path.Combine(_folder, "labels.dev");
        TestLabelsFiles.Write(path, sample);

        Assert.Contains("expected a str or None, found int", Assert.Throws<DataFormatException>(() => LabelsFileReader.Read(path)).Message);
    }
}
