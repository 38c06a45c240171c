using SignTranslate.Cli;
using SignTranslate.Data.Pose;
using SignTranslate.Tests.Cli;
using TorchSharp;
using static TorchSharp.torch;

namespace SignTranslate.Tests.Data.Pose;

/// <summary><c>slt data check</c> reads every sample's keypoint file and lists the ones missing or unreadable.</summary>
[Collection(ProcessStateCollection.Name)]
public sealed class DatasetCheckKeypointTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("slt-datacheck-pose-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>A labels dataset whose samples name <c>keypoints/{split}/video{v}.safetensors</c>, relative to the labels files.</summary>
    private string WriteDataset()
    {
        var root = Path.Combine(_folder, "dataset");
        var imager = new torchvision.io.SkiaImager();
        foreach (var split in new[] { "train", "dev", "test" })
        {
            var samples = new List<System.Collections.Hashtable>();
            for (var v = 0; v < 2; v++)
            {
                var name = $"{split}/video{v}";
                var sample = TestLabelsFiles.Sample(name, $"heute regen {v}", 4);
                sample["keypoints"] = $"keypoints/{name}.safetensors";
                samples.Add(sample);
                Directory.CreateDirectory(Path.Combine(root, "frames", name));
                for (var k = 1; k <= 4; k++)
                {
                    using var image = full(new long[] { 3, 8, 8 }, 10 * k, dtype: ScalarType.Byte);
                    File.WriteAllBytes(Path.Combine(root, "frames", name, $"images{k:D4}.png"), imager.EncodeImage(image, torchvision.ImageFormat.Png));
                }
                Directory.CreateDirectory(Path.Combine(root, "keypoints", split));
                SltKeypointFile.Write(Path.Combine(root, "keypoints", $"{name}.safetensors"), new KeypointSequence(4, new float[4 * 133 * 3]));
            }
            TestLabelsFiles.Write(Path.Combine(root, $"labels.{split}"), [.. samples]);
        }
        var config = Path.Combine(_folder, "experiment.yaml");
        File.WriteAllText(config, "data:\n  root: dataset\n  image_root: frames\n  tokenizer:\n    kind: words\n");
        return config;
    }

    [Fact]
    public void MissingAndUnreadableKeypointFilesAreListedWithTheirSamples()
    {
        var config = WriteDataset();
        var keypoints = Path.Combine(_folder, "dataset", "keypoints");
        File.Delete(Path.Combine(keypoints, "dev", "video1.safetensors"));
        using (var coco17 = zeros(4, 17, 3))
            SignTranslate.Checkpoints.SafeTensorsFile.Save(Path.Combine(keypoints, "test", "video0.safetensors"), [new("keypoints", coco17)]);

        var result = CliRunner.Run("data", "check", "--config", config);

        Assert.Equal(ExitCodes.InputError, result.ExitCode);
        var lines = result.Stderr.Trim().Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.Equal(
        [
            $"slt: problem: dev: sample 'dev/video1': missing keypoint file {Path.Combine(keypoints, "dev", "video1.safetensors")}",
            $"slt: problem: test: sample 'test/video0': unreadable keypoint file {Path.Combine(keypoints, "test", "video0.safetensors")}: has 17 joints per frame, expected 133 (COCO-WholeBody)",
            "slt: error: 2 problems found",
        ], lines);
    }

    [Fact]
    public void ReadableKeypointFilesPass()
    {
        var result = CliRunner.Run("data", "check", "--config", WriteDataset());

        Assert.Equal("", result.Stderr);
        Assert.Equal(ExitCodes.Success, result.ExitCode);
    }
}
