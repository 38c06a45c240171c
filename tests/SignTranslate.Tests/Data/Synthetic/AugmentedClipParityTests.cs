using SignTranslate.Data;
using SignTranslate.Data.Synthetic;
using TorchSharp;

namespace SignTranslate.Tests.Data.Synthetic;

/// <summary>
/// The in-memory source and the PNG files <c>slt synth</c> writes give identical clips, also through the training
/// path (random frame subset, every augmentation forced on), because the PNGs decode to the rendered bytes exactly.
/// </summary>
public class AugmentedClipParityTests
{
    private static readonly FrameOptions SmallFrames = new() { ResizeHeight = 28, ResizeWidth = 28, CropHeight = 24, CropWidth = 24, MaxFrames = 30 };

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void InMemoryClipsEqualClipsLoadedFromTheWrittenPngs(bool training)
    {
        using var folder = new TemporaryFolder();
        var options = SyntheticDatasetTests.Tiny with { TrainSamples = 2, DevSamples = 1, TestSamples = 0 };
        var dataset = SyntheticDataset.Create(options);
        SyntheticDatasetWriter.Write(dataset, folder.Path);
        var augmentation = new AugmentationOptions { RotateProbability = 1, TranslateProbability = 1, RescaleProbability = 1 };
        var memory = new SyntheticVideoSource(dataset, SmallFrames, augmentation);
        var disk = new DiskVideoSource(new VideoLoader(folder["frames"], SmallFrames, augmentation));

        using var scope = torch.NewDisposeScope();
        foreach (var sample in dataset.Samples("train").Concat(dataset.Samples("dev")))
        {
            var fromMemory = memory.Load(sample, training, new Random(17));
            var fromDisk = disk.Load(sample, training, new Random(17));
            Assert.Equal([Math.Min(sample.FrameCount, 30), 3L, 24, 24], fromMemory.shape);
            Assert.True(fromMemory.equal(fromDisk).all().item<bool>(), $"{sample.Id}: memory and disk clips differ");
        }
    }
}
