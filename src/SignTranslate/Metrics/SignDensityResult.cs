namespace SignTranslate.Metrics;

/// <summary>The sign density ratio of a feature space and the per-gloss values behind it.</summary>
/// <param name="Sdr">Mean of the per-gloss ratios, in percent (lower = glosses better separated; about 100 = no separation).</param>
/// <param name="Glosses">Glosses used (those with at least the minimum number of instances).</param>
/// <param name="Instances">Instances of the used glosses.</param>
/// <param name="SkippedGlosses">Glosses left out for having too few instances.</param>
/// <param name="PerGloss">One row per used gloss, in ordinal order of the gloss names.</param>
public sealed record SignDensityResult(double Sdr, int Glosses, int Instances, int SkippedGlosses, IReadOnlyList<GlossDensity> PerGloss);

/// <summary>One gloss's distances (Euclidean, in feature units).</summary>
/// <param name="Gloss">The gloss.</param>
/// <param name="Instances">Its number of instances |G_i|.</param>
/// <param name="Intra">D(G_i): mean distance over ordered pairs of distinct instances of the gloss.</param>
/// <param name="Inter">mean over the other used glosses j of D(G_i, G_j), the mean distance between their instances.</param>
/// <param name="Ratio">SDR(G_i) = Intra / Inter, as a fraction (NaN when Inter is 0: every instance coincides).</param>
public sealed record GlossDensity(string Gloss, int Instances, double Intra, double Inter, double Ratio);
