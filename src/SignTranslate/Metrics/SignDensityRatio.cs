using TorchSharp;
using static TorchSharp.torch;

namespace SignTranslate.Metrics;

/// <summary>
/// The sign density ratio (docs/reference.md#s8; paper §3.1, Eqs. 1–3): for every gloss G_i, the mean Euclidean
/// distance between its own instances divided by the mean, over the other glosses G_j, of the mean distance between
/// instances of G_i and G_j; reported as the mean over glosses in percent. All distances come from one pairwise
/// distance matrix, summed per gloss pair with index_add.
/// </summary>
public static class SignDensityRatio
{
    /// <summary>The SDR of the instances a <see cref="GlossInstances"/> collected, with the options' minimum count.</summary>
    public static SignDensityResult Compute(GlossInstances instances, SignDensityOptions options)
    {
        using var features = instances.Features();
        return Compute(features, instances.Glosses, options.MinInstancesPerGloss);
    }

    /// <param name="features">[N, D]: one row per instance.</param>
    /// <param name="glossOfInstance">The gloss of every row (N entries).</param>
    /// <param name="minInstancesPerGloss">Glosses with fewer instances are left out entirely (at least 2).</param>
    /// <exception cref="InputException">Fewer than two glosses have enough instances.</exception>
    public static SignDensityResult Compute(Tensor features, IReadOnlyList<string> glossOfInstance, int minInstancesPerGloss = 2)
    {
        if (features.dim() != 2)
            throw new ArgumentException($"Features must be [N, D], got [{string.Join(", ", features.shape)}].", nameof(features));
        if (features.shape[0] != glossOfInstance.Count)
            throw new ArgumentException($"{features.shape[0]} feature rows but {glossOfInstance.Count} glosses.", nameof(glossOfInstance));
        if (minInstancesPerGloss < 2)
            throw new ArgumentOutOfRangeException(nameof(minInstancesPerGloss), minInstancesPerGloss, "The intra-gloss distance needs at least 2 instances.");

        var rowsByGloss = new SortedDictionary<string, List<long>>(StringComparer.Ordinal);
        for (var row = 0; row < glossOfInstance.Count; row++)
        {
            if (!rowsByGloss.TryGetValue(glossOfInstance[row], out var rows))
                rowsByGloss[glossOfInstance[row]] = rows = [];
            rows.Add(row);
        }
        var used = rowsByGloss.Where(entry => entry.Value.Count >= minInstancesPerGloss).ToArray();
        if (used.Length < 2)
            throw new InputException(
                $"The sign density ratio needs at least 2 glosses with {minInstancesPerGloss} or more instances each; found {used.Length} among {rowsByGloss.Count} glosses and {glossOfInstance.Count} instances");

        var selectedRows = used.SelectMany(entry => entry.Value).ToArray();
        var labels = used.SelectMany((entry, gloss) => Enumerable.Repeat((long)gloss, entry.Value.Count)).ToArray();
        var counts = used.Select(entry => (double)entry.Value.Count).ToArray();

        double[] intra, inter;
        using (var scope = torch.NewDisposeScope())
        using (torch.no_grad())
        {
            var device = features.device;                                                                         // GPU features stay there
            var x = features.detach().index_select(0, torch.tensor(selectedRows, device: device)).to_type(ScalarType.Float64); // [N, D]
            var instances = x.shape[0];
            var notSelf = torch.eye(instances, dtype: ScalarType.Bool, device: device).logical_not();
            // The matrix-product form of cdist leaves rounding noise on the diagonal; a point's distance to itself is 0.
            var distances = torch.cdist(x, x).mul(notSelf);                                                       // [N, N]
            // Σ over x ∈ G_i, y ∈ G_j of d(x, y): rows summed by gloss, then columns (O(N²), not a G×N×N product).
            var glossOfRow = torch.tensor(labels, device: device);
            var rowSums = torch.zeros(used.Length, instances, ScalarType.Float64, device).index_add_(0, glossOfRow, distances, 1.0); // [G, N]
            var pairSums = torch.zeros(used.Length, used.Length, ScalarType.Float64, device).index_add_(1, glossOfRow, rowSums, 1.0); // [G, G]
            var glossCounts = torch.tensor(counts, device: device);                                                          // [G]
            var meanDistance = pairSums / glossCounts.outer(glossCounts);                                         // D(G_i, G_j)
            var intraSums = pairSums.diagonal();                                                                  // Σ_{x≠y ∈ G_i} d(x, y)
            var intraMeans = intraSums / (glossCounts * (glossCounts - 1));
            var otherGlosses = torch.eye(used.Length, dtype: ScalarType.Bool, device: device).logical_not();
            var interMeans = meanDistance.mul(otherGlosses).sum(1) / (used.Length - 1);
            intra = intraMeans.cpu().data<double>().ToArray();
            inter = interMeans.cpu().data<double>().ToArray();
        }

        var perGloss = new GlossDensity[used.Length];
        for (var i = 0; i < used.Length; i++)
            perGloss[i] = new GlossDensity(used[i].Key, used[i].Value.Count, intra[i], inter[i], inter[i] == 0 ? double.NaN : intra[i] / inter[i]);
        var sdr = perGloss.Average(gloss => gloss.Ratio) * 100;
        return new SignDensityResult(sdr, used.Length, selectedRows.Length, rowsByGloss.Count - used.Length, perGloss);
    }
}
