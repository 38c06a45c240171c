using System.Buffers.Binary;
using SignTranslate.Metrics;
using TorchSharp;

namespace SignTranslate.Tests.Metrics;

/// <summary>The per-gloss CSV, the 2-D PCA projection and the PNG picture of a feature space.</summary>
public sealed class SignDensityOutputTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("slt-density-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void CsvHasOneRoundTrippableRowPerGloss()
    {
        var result = new SignDensityResult(55.5, 2, 5, 0,
        [
            new GlossDensity("A", 2, 1.0 / 3, 2.5, 1.0 / 7.5),
            new GlossDensity("B,\"quoted\"", 3, 0.1, 0.2, 0.5),
        ]);
        var writer = new StringWriter();

        SignDensityCsv.Write(writer, result);

        var lines = writer.ToString().Split('\n');
        Assert.Equal(["gloss,instances,intra,inter,sdr", "A,2,0.3333333333333333,2.5,13.333333333333334", "\"B,\"\"quoted\"\"\",3,0.1,0.2,50", ""], lines);
        Assert.Equal(1.0 / 3, double.Parse(lines[1].Split(',')[2], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void ProjectionFollowsTheDirectionOfLargestVariance()
    {
        // Points spread along (1, 1, 0) with a little spread along (0, 0, 1): PC 1 carries nearly all the variance.
        var t = new double[] { -2, -1, 0, 1, 2 };
        var values = t.SelectMany((v, i) => new[] { v, v, i % 2 == 0 ? 0.1 : -0.1 }).ToArray();
        using var features = torch.tensor(values, [5, 3]);

        var projection = FeatureProjection.Principal2D(features);

        var scale = Math.Sqrt(2);
        Assert.Equal(t.Select(v => v * scale), projection.X, (a, b) => Math.Abs(a - b) < 1e-9);
        Assert.True(projection.ExplainedVariance1 > 0.99);
        Assert.InRange(projection.ExplainedVariance1 + projection.ExplainedVariance2, 0.999999, 1.000001);
        Assert.Equal(0.0, projection.Y.Sum(), 1e-9);   // centred
    }

    [Fact]
    public void ProjectionOfOneDimensionalFeaturesHasAFlatSecondAxis()
    {
        using var features = torch.tensor(new double[] { 3, 1, 2 }, [3, 1]);

        var projection = FeatureProjection.Principal2D(features);

        Assert.Equal([1.0, -1, 0], projection.X, (a, b) => Math.Abs(a - b) < 1e-12);
        Assert.Equal([0.0, 0, 0], projection.Y);
    }

    [Fact]
    public void ProjectionSignsAreFixed()
    {
        var (values, glosses) = SignDensityRatioTests.RandomInstances(4, 3, [5, 5, 5], 6, 3.0, 1.0);
        using var features = torch.tensor(values, [glosses.Length, 6]);
        using var negated = -features;

        var projection = FeatureProjection.Principal2D(features);
        var ofNegated = FeatureProjection.Principal2D(negated);

        // Negating every point flips the data, not the axes: the picture is mirrored through the origin.
        Assert.Equal(projection.X.Select(x => -x), ofNegated.X, (a, b) => Math.Abs(a - b) < 1e-9);
        Assert.Equal(projection.Y.Select(y => -y), ofNegated.Y, (a, b) => Math.Abs(a - b) < 1e-9);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(30)]
    public void PlotWritesAPngOfTheRequestedSize(int glossCount)
    {
        var (values, glosses) = SignDensityRatioTests.RandomInstances(9, glossCount, Enumerable.Repeat(4, glossCount).ToArray(), 5, 3.0, 0.5);
        using var features = torch.tensor(values, [glosses.Length, 5]);
        var projection = FeatureProjection.Principal2D(features);
        var path = Path.Combine(_folder, $"space-{glossCount}.png");

        FeatureSpacePlot.WritePng(path, projection, glosses, "SDR 12.34%", 640, 480);

        var bytes = File.ReadAllBytes(path);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, bytes[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(bytes, 12, 4));
        Assert.Equal((640, 480), (BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20))));
        Assert.True(bytes.Length > 5000, $"{bytes.Length} bytes: expected a picture, not a blank canvas");
    }
}
