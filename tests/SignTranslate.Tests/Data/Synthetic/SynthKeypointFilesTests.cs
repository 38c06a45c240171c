using SignTranslate.Data;
using SignTranslate.Data.Manifests;
using SignTranslate.Data.Pose;
using SignTranslate.Data.Synthetic;

namespace SignTranslate.Tests.Data.Synthetic;

/// <summary>The keypoint files <c>slt synth</c> writes beside the frames or videos, and how the splits name them.</summary>
public class SynthKeypointFilesTests
{
    private static readonly SyntheticOptions Small = SyntheticDatasetTests.Tiny with { TrainSamples = 3, DevSamples = 2, TestSamples = 1 };

    [Theory]
    [InlineData(SyntheticFileFormat.Png)]
    [InlineData(SyntheticFileFormat.Mp4)]
    public void EveryVideoHasAKeypointFileNamedByItsSplitThatReadsBackAsTheInMemoryKeypoints(SyntheticFileFormat format)
    {
        using var folder = new TemporaryFolder();
        var dataset = SyntheticDataset.Create(Small);
        SyntheticDatasetWriter.Write(dataset, folder["data"], format: format);

        var listed = SynthesisFileList.Read(folder["data"]);
        foreach (var split in dataset.Splits)
        {
            var samples = format == SyntheticFileFormat.Png
                ? LabelsFileReader.Read(folder[$"data/labels.{split}"])
                : ManifestReader.Read(folder[$"data/{split}.tsv"]);
            Assert.Equal(dataset.Plans(split).Count, samples.Count);
            foreach (var sample in samples)
            {
                var index = dataset.Plans(split).ToList().FindIndex(p => p.Name == sample.Id);
                var expected = Path.Combine(folder["data"], "keypoints", split, $"{sample.Id[(split.Length + 1)..]}.safetensors");
                Assert.Equal(expected, sample.KeypointFile);
                var read = SltKeypointFile.Read(sample.KeypointFile!);
                Assert.Equal(dataset.Plans(split)[index].FrameCount, read.Frames);
                Assert.Equal(dataset.Keypoints(split, index).Values, read.Values);
                Assert.Contains($"keypoints/{sample.Id}.safetensors", listed);
            }
        }
        Assert.Contains("`keypoints/`: one keypoint file per video", File.ReadAllText(folder["data/README.md"]));
        Assert.Contains("\"keypoint_folder\": \"keypoints\"", File.ReadAllText(folder["data/synthetic.json"]));
    }

    [Fact]
    public void ReplacingADatasetRemovesTheKeypointFilesOfVideosItNoLongerHas()
    {
        using var folder = new TemporaryFolder();
        SyntheticDatasetWriter.Write(SyntheticDataset.Create(Small), folder["data"]);
        Assert.True(File.Exists(folder["data/keypoints/train/synthetic-00002.safetensors"]));

        var smaller = SyntheticDataset.Create(Small with { TrainSamples = 1, Pose = new() { Noise = 0 } });
        SyntheticDatasetWriter.Write(smaller, folder["data"], replace: true);

        Assert.False(File.Exists(folder["data/keypoints/train/synthetic-00002.safetensors"]));
        Assert.Equal(smaller.Keypoints("train", 0).Values, SltKeypointFile.Read(folder["data/keypoints/train/synthetic-00000.safetensors"]).Values);
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(folder["data"]), e => Path.GetFileName(e).StartsWith(".slt-synth-partial-", StringComparison.Ordinal));
    }
}
