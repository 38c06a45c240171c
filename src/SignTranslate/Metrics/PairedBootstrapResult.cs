namespace SignTranslate.Metrics;

/// <summary>What <see cref="PairedBootstrap.Run"/> measured.</summary>
/// <param name="Samples">Number of resampled corpora.</param>
/// <param name="Seed">Seed of the resampling indices.</param>
/// <param name="Lines">Lines per system (and per resample).</param>
/// <param name="Systems">One entry per system, in input order.</param>
/// <param name="Pairs">Every pair of systems (a &lt; b), in input order.</param>
public sealed record PairedBootstrapResult(
    int Samples, long Seed, int Lines, IReadOnlyList<SystemBootstrap> Systems, IReadOnlyList<PairedSignificance> Pairs);

/// <summary>One system's exact corpus scores and the bootstrap intervals of BLEU-4 and ROUGE-L (percent).</summary>
public sealed record SystemBootstrap(CorpusScore Score, BootstrapInterval Bleu4, BootstrapInterval RougeL);

/// <summary>
/// The paired test of systems <paramref name="A"/> and <paramref name="B"/> (indices into the system list).
/// Differences are B − A on the full corpus; p-values are two-sided (absolute differences).
/// </summary>
public sealed record PairedSignificance(int A, int B, double Bleu4Difference, double Bleu4PValue, double RougeLDifference, double RougeLPValue);
