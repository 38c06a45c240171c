using SignTranslate.Data;
using SignTranslate.Data.Synthetic;
using SignTranslate.Text;
using static TorchSharp.torch;

namespace SignTranslate.Tests.Data;

public sealed class SyntheticVideoSourceTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("slt-synthsource-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static readonly SyntheticOptions Tiny = new() { TrainSamples = 4, DevSamples = 2, TestSamples = 2 };
    private static readonly FrameOptions Frames = new() { ResizeHeight = 32, ResizeWidth = 32, CropHeight = 28, CropWidth = 28, MaxFrames = 40 };

    [Fact]
    public void InMemoryFramesEqualTheSameDatasetReadFromDisk()
    {
        using var scope = NewDisposeScope();
        var dataset = SyntheticDataset.Create(Tiny);
        var target = Path.Combine(_folder, "synthetic");
        SyntheticDatasetWriter.Write(dataset, target);
        var options = new DataOptions { Root = target, ImageRoot = Tiny.ImageFolder, Frames = Frames };
        var fromDisk = DatasetReader.Read(options, _folder, Split.Dev);
        var disk = new VideoLoader(DataPaths.ImageRoot(options, _folder), Frames, new AugmentationOptions());
        var memory = new SyntheticVideoSource(dataset, Frames, new AugmentationOptions());

        var inMemory = dataset.Samples("dev");
        Assert.Equal(inMemory.Select(s => s.Id), fromDisk.Select(s => s.Id));
        for (var i = 0; i < inMemory.Count; i++)
        {
            // The synthetic writer's extra gloss_spans field comes back through the labels reader.
            Assert.NotEmpty(fromDisk[i].GlossSpans!);
            Assert.Equal(inMemory[i].GlossSpans!, fromDisk[i].GlossSpans!);
            Assert.Equal((inMemory[i].Text, inMemory[i].Gloss, inMemory[i].FrameCount), (fromDisk[i].Text, fromDisk[i].Gloss, fromDisk[i].FrameCount));
        }
        foreach (var sample in fromDisk)
        {
            var a = disk.Load(sample, training: false, new Random(1));
            var b = memory.Load(sample, training: false, new Random(1));
            Assert.Equal(a.shape, b.shape);
            Assert.True(a.allclose(b), $"{sample.Id}: frames differ between disk and memory");
        }
    }

    [Fact]
    public void BuildsTrainingBatchesFromRenderedVideos()
    {
        using var scope = NewDisposeScope();
        var dataset = SyntheticDataset.Create(Tiny);
        var samples = dataset.Samples("train");
        var tokenizer = VocabularyTokenizer.TrainWords(samples.Select(s => s.Text), "de_DE");
        var builder = new SignBatchBuilder(samples, new SyntheticVideoSource(dataset, Frames, new AugmentationOptions()),
            tokenizer, new DataOptions { Frames = Frames }, training: true, withMaskedText: true);

        using var batch = builder.Build([0, 1, 2, 3], batchSeed: 3);

        var counts = samples.Select(s => Math.Min(s.FrameCount, Frames.MaxFrames)).ToArray();
        Assert.Equal(counts, batch.Video.FrameCounts);
        Assert.Equal([counts.Sum(n => VideoLengths.Padded(n, PaddingScheme.Reference)), 3L, 28, 28], batch.Video.Frames!.shape);
        Assert.Equal(counts.Select(n => (n + 3) / 4 + 1), batch.Video.ConvLengths);
        Assert.Equal(4, batch.Text.InputIds.shape[0]);
        Assert.All(batch.MaskedTexts!, t => Assert.Contains(TextNoise.Mask, t));
    }
}
