using System.Security.Cryptography;
using SignTranslate.Data.Synthetic;

namespace SignTranslate.Tests.Data.Synthetic;

/// <summary>
/// The rendered pixels are part of the dataset's identity (written datasets, demo numbers): these hashes were taken
/// before the renderer was refactored to share its hand positions with the keypoints, and must never change.
/// </summary>
public class SyntheticPixelPinTests
{
    [Theory]
    [InlineData("train", 0, "8B925AC6352E7288D7E997F6ED1A02227EFD5D0BC57AB8A2C8088E4F0743B63A")]
    [InlineData("train", 7, "5255DA83CFB84B2BB96B64BD667575BEF7D12E1E74E3118D8A5EAF27F53AE03C")]
    [InlineData("dev", 2, "D9274AC128DA8DEB1300586E6349FE541BBB3FF3673DC512403DC4F978105265")]
    public void RenderedPixelsAreUnchanged(string split, int index, string expected)
    {
        var dataset = SyntheticDataset.Create(SyntheticDatasetTests.Tiny);
        Assert.Equal(expected, Convert.ToHexString(SHA256.HashData(dataset.RenderFrames(split, index))));
    }

    [Fact]
    public void NoiselessLargerFramesWithMoreWobbleAreUnchanged()
    {
        var dataset = SyntheticDataset.Create(SyntheticDatasetTests.Tiny with { PixelNoise = 0, FrameWidth = 64, FrameHeight = 48, HandJitter = 0.03 });
        Assert.Equal("545F29822BB3F62532BB46DD24DB462085B023000C07C7B99EF4D09D30AD2295",
            Convert.ToHexString(SHA256.HashData(dataset.RenderFrames("test", 1))));
    }
}
