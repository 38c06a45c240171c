using SignTranslate.Metrics;
using SignTranslate.Randomness;
using TorchSharp;
using static TorchSharp.torch;

namespace SignTranslate.Tests.Metrics;

/// <summary>The sign density ratio (docs/reference.md#s8) on hand-made feature spaces.</summary>
public class SignDensityRatioTests
{
    [Fact]
    public void HandCaseInOneDimension()
    {
        // A at 0 and 2, B at 10 and 12, C once at 100 (too few instances: left out entirely).
        // D(A) = D(B) = 2; D(A, B) = (10 + 12 + 8 + 10) / 4 = 10; so both ratios are 0.2 and the SDR is 20%.
        using var features = torch.tensor(new double[] { 0, 10, 2, 100, 12 }, [5, 1]);

        var result = SignDensityRatio.Compute(features, ["A", "B", "A", "C", "B"]);

        Assert.Equal(20.0, result.Sdr, 1e-12);
        Assert.Equal((2, 4, 1), (result.Glosses, result.Instances, result.SkippedGlosses));
        Assert.Equal(["A", "B"], result.PerGloss.Select(g => g.Gloss));
        foreach (var gloss in result.PerGloss)
        {
            Assert.Equal(2, gloss.Instances);
            Assert.Equal(2.0, gloss.Intra, 1e-12);
            Assert.Equal(10.0, gloss.Inter, 1e-12);
            Assert.Equal(0.2, gloss.Ratio, 1e-12);
        }
    }

    [Fact]
    public void MatchesADirectComputationOfTheDefinition()
    {
        var (values, glosses) = RandomInstances(seed: 3, glossCount: 4, instancesPerGloss: [2, 3, 5, 4], dim: 6, spread: 1.0, noise: 0.8);
        using var features = torch.tensor(values, [glosses.Length, 6]);

        var result = SignDensityRatio.Compute(features, glosses);

        var expected = DirectSdr(values, glosses, 6);
        Assert.Equal(expected.Sdr, result.Sdr, 1e-9);
        foreach (var gloss in result.PerGloss)
        {
            Assert.Equal(expected.Intra[gloss.Gloss], gloss.Intra, 1e-9);
            Assert.Equal(expected.Inter[gloss.Gloss], gloss.Inter, 1e-9);
        }
        Assert.Equal(14, result.Instances);
    }

    [Fact]
    public void WellSeparatedClustersAreFarBelowOneHundred()
    {
        var (values, glosses) = RandomInstances(seed: 11, glossCount: 8, instancesPerGloss: Enumerable.Repeat(12, 8).ToArray(), dim: 16, spread: 10.0, noise: 0.5);
        using var features = torch.tensor(values, [glosses.Length, 16]);

        var result = SignDensityRatio.Compute(features, glosses);

        Assert.InRange(result.Sdr, 0, 20);
        Assert.Equal((8, 96), (result.Glosses, result.Instances));
    }

    [Fact]
    public void GlossesFromOneDistributionAreNearOneHundred()
    {
        var (values, glosses) = RandomInstances(seed: 5, glossCount: 10, instancesPerGloss: Enumerable.Repeat(30, 10).ToArray(), dim: 16, spread: 0.0, noise: 1.0);
        using var features = torch.tensor(values, [glosses.Length, 16]);

        var result = SignDensityRatio.Compute(features, glosses);

        Assert.InRange(result.Sdr, 97, 103);
    }

    [Fact]
    public void FloatFeaturesGiveTheSameRatioAsDoubles()
    {
        var (values, glosses) = RandomInstances(seed: 8, glossCount: 5, instancesPerGloss: Enumerable.Repeat(6, 5).ToArray(), dim: 8, spread: 2.0, noise: 1.0);
        using var doubles = torch.tensor(values, [glosses.Length, 8]);
        using var floats = doubles.to_type(ScalarType.Float32);

        Assert.Equal(SignDensityRatio.Compute(doubles, glosses).Sdr, SignDensityRatio.Compute(floats, glosses).Sdr, 1e-4);
    }

    [Fact]
    public void CollapsedFeaturesHaveNoRatio()
    {
        using var features = torch.zeros(6, 3);

        var result = SignDensityRatio.Compute(features, ["A", "A", "B", "B", "C", "C"]);

        Assert.True(double.IsNaN(result.Sdr));
        Assert.All(result.PerGloss, gloss => Assert.Equal(0.0, gloss.Intra));
    }

    [Fact]
    public void FewerThanTwoUsableGlossesIsAnInputError()
    {
        using var features = torch.tensor(new double[] { 0, 1, 5 }, [3, 1]);

        var error = Assert.Throws<InputException>(() => SignDensityRatio.Compute(features, ["A", "A", "B"]));

        Assert.Contains("at least 2 glosses with 2 or more instances", error.Message);
        Assert.Contains("found 1 among 2 glosses and 3 instances", error.Message);
    }

    [Fact]
    public void MinimumInstancesLeavesOutSmallGlosses()
    {
        var (values, glosses) = RandomInstances(seed: 2, glossCount: 3, instancesPerGloss: [2, 3, 4], dim: 4, spread: 1.0, noise: 1.0);
        using var features = torch.tensor(values, [glosses.Length, 4]);

        var result = SignDensityRatio.Compute(features, glosses, minInstancesPerGloss: 3);

        Assert.Equal(["g1", "g2"], result.PerGloss.Select(g => g.Gloss));
        Assert.Equal((2, 7, 1), (result.Glosses, result.Instances, result.SkippedGlosses));
    }

    /// <summary>Gaussian clusters: centre ~ N(0, spread²·I) per gloss, instance = centre + N(0, noise²·I); rows interleaved by gloss.</summary>
    internal static (double[] Values, string[] Glosses) RandomInstances(ulong seed, int glossCount, int[] instancesPerGloss, int dim, double spread, double noise)
    {
        var random = new SplitMix64(seed);
        var centres = Enumerable.Range(0, glossCount).Select(_ => Enumerable.Range(0, dim).Select(_ => spread * Gaussian(random)).ToArray()).ToArray();
        var values = new List<double>();
        var glosses = new List<string>();
        for (var round = 0; round < instancesPerGloss.Max(); round++)
        {
            for (var g = 0; g < glossCount; g++)
            {
                if (round >= instancesPerGloss[g])
                    continue;
                glosses.Add($"g{g}");
                values.AddRange(centres[g].Select(c => c + noise * Gaussian(random)));
            }
        }
        return ([.. values], [.. glosses]);
    }

    private static double Gaussian(SplitMix64 random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>The definition in docs/reference.md#s8, written out with loops, for comparison.</summary>
    private static (double Sdr, Dictionary<string, double> Intra, Dictionary<string, double> Inter) DirectSdr(double[] values, string[] glosses, int dim)
    {
        double Distance(int x, int y) => Math.Sqrt(Enumerable.Range(0, dim).Sum(k => Math.Pow(values[x * dim + k] - values[y * dim + k], 2)));
        var groups = glosses.Select((gloss, row) => (gloss, row)).GroupBy(e => e.gloss).ToDictionary(g => g.Key, g => g.Select(e => e.row).ToArray());
        var intra = new Dictionary<string, double>();
        var inter = new Dictionary<string, double>();
        foreach (var (gloss, rows) in groups)
        {
            double sum = 0;
            foreach (var x in rows)
                foreach (var y in rows)
                    if (x != y)
                        sum += Distance(x, y);
            intra[gloss] = sum / (rows.Length * (rows.Length - 1));
            var others = groups.Where(other => other.Key != gloss)
                .Select(other => rows.SelectMany(x => other.Value.Select(y => Distance(x, y))).Average());
            inter[gloss] = others.Average();
        }
        return (groups.Keys.Average(gloss => intra[gloss] / inter[gloss]) * 100, intra, inter);
    }
}
