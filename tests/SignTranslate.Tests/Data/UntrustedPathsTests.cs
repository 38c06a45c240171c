using System.Collections;
using SignTranslate.Cli;
using SignTranslate.Data;
using SignTranslate.Files;
using SignTranslate.Tests.Cli;
using TorchSharp;
using static TorchSharp.torch;

namespace SignTranslate.Tests.Data;

/// <summary>Frame paths and folder names read from dataset files never reach outside the image root.</summary>
[Collection(ProcessStateCollection.Name)]
public sealed class UntrustedPathsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("slt-paths-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData("train/v/images0001.png", null)]
    [InlineData("a", null)]
    [InlineData("../secret.png", "contains a '..' segment")]
    [InlineData("train/../../secret.png", "contains a '..' segment")]
    [InlineData("/etc/passwd", "is an absolute path")]
    [InlineData("train\\..\\x.png", "contains '\\'")]
    [InlineData("train//x.png", "contains an empty or '.' segment")]
    [InlineData("./x.png", "contains an empty or '.' segment")]
    [InlineData("", "is empty")]
    [InlineData("a\nb", "contains a control character")]
    public void ProblemNamesWhatIsWrong(string name, string? problem)
    {
        var found = PathsFromData.Problem(name);
        if (problem is null) Assert.Null(found);
        else Assert.StartsWith(problem, found);
    }

    [Fact]
    public void SingleSegmentNamesHaveNoSlash()
    {
        Assert.Null(PathsFromData.Problem("video-1", singleSegment: true));
        Assert.StartsWith("contains '/'", PathsFromData.Problem("a/b", singleSegment: true));
    }

    [Theory]
    [InlineData("../../secret.png", "contains a '..' segment")]
    [InlineData("/etc/passwd", "is an absolute path")]
    public void LabelsFileFramePathsOutsideTheImageRootAreRejected(string framePath, string problem)
    {
        var labels = Path.Combine(_folder, "labels.train");
        var sample = TestLabelsFiles.Sample("train/v", "text", 2);
        ((ArrayList)sample["imgs_path"]!)[1] = framePath;
        TestLabelsFiles.Write(labels, sample);

        var error = Assert.Throws<DataFormatException>(() => LabelsFileReader.Read(labels));

        Assert.StartsWith($"{labels}: sample 'train/v': field 'imgs_path': entry 1 '{framePath}' {problem}", error.Message);
        Assert.EndsWith("frame paths must be relative to the image root", error.Message);
    }

    [Fact]
    public void PhoenixCorpusNamesThatLeaveTheImageRootAreRejected()
    {
        var csv = Path.Combine(_folder, "corpus.csv");
        File.WriteAllText(csv, "name|video|start|end|speaker|orth|translation\n../../etc|x|-1|-1|S|A|a\n");

        var error = Assert.Throws<DataFormatException>(() => PhoenixCorpusReader.Read(csv, Path.Combine(_folder, "frames"), Split.Dev));

        Assert.StartsWith($"{csv}:2: field 'name': '../../etc' contains '/'", error.Message);
    }

    [Fact]
    public void CslDailyNamesThatLeaveTheImageRootAreRejected()
    {
        var annotations = Path.Combine(_folder, "csl.pkl");
        var splitList = Path.Combine(_folder, "split.txt");
        TestLabelsFiles.WriteObject(annotations, new Hashtable
        {
            ["info"] = new ArrayList { new Hashtable { ["name"] = "..", ["length"] = 1, ["label_char"] = new ArrayList { "a" } } },
        });
        File.WriteAllText(splitList, "name|split\n..|train\n");

        var error = Assert.Throws<DataFormatException>(() => CslDailyReader.Read(annotations, splitList, Path.Combine(_folder, "frames"), Split.Train));

        Assert.StartsWith($"{annotations}: sample '..': field 'name': contains a '..' segment", error.Message);
    }

    [Fact]
    public void VideoLoaderReadsNoFrameOutsideItsRoot()
    {
        // A readable frame just outside the root: a loader that joined paths blindly would decode it.
        var root = Path.Combine(_folder, "frames");
        Directory.CreateDirectory(root);
        using (var image = zeros(new long[] { 3, 8, 8 }, dtype: ScalarType.Byte))
            File.WriteAllBytes(Path.Combine(_folder, "outside.png"), new torchvision.io.SkiaImager().EncodeImage(image, torchvision.ImageFormat.Png));
        var frames = new FrameOptions { ResizeHeight = 8, ResizeWidth = 8, CropHeight = 8, CropWidth = 8 };
        var loader = new VideoLoader(root, frames, new AugmentationOptions { Enabled = false });
        var sample = new SignSample { Id = "v", Text = "t", FrameCount = 1, FramePaths = ["../outside.png"] };

        var error = Assert.ThrowsAny<InputException>(() => loader.Load(sample, training: false, new Random(0)));

        Assert.Contains("'../outside.png' contains a '..' segment", error.Message);
    }

    [Fact]
    public void DataCheckReportsTheLabelsFileThatPointsOutside()
    {
        var root = Path.Combine(_folder, "dataset");
        Directory.CreateDirectory(root);
        foreach (var split in new[] { "train", "dev", "test" })
        {
            var sample = TestLabelsFiles.Sample($"{split}/v", "heute regen", 1);
            if (split == "dev") ((ArrayList)sample["imgs_path"]!)[0] = "../../../../etc/passwd";
            TestLabelsFiles.Write(Path.Combine(root, $"labels.{split}"), sample);
        }
        var config = Path.Combine(_folder, "experiment.yaml");
        File.WriteAllText(config, "data:\n  root: dataset\n  image_root: frames\n  tokenizer:\n    kind: words\n");

        var result = CliRunner.Run("data", "check", "--config", config, "--labels-only");

        Assert.Equal(ExitCodes.InputError, result.ExitCode);
        Assert.Contains($"slt: problem: dev: {Path.Combine(root, "labels.dev")}: sample 'dev/v': field 'imgs_path': entry 0 '../../../../etc/passwd' contains a '..' segment", result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
    }
}
