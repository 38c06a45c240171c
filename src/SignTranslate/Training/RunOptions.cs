using SignTranslate.Config;

namespace SignTranslate.Training;

/// <summary>The <c>run</c> section: where a run writes, and how it uses the machine.</summary>
public sealed record RunOptions : IValidatableConfig
{
    /// <summary>Folder under which each run creates its own sub-folder (config, logs, checkpoints). Default <c>runs</c>.</summary>
    public string OutputDir { get; init; } = "runs";

    /// <summary>Seed of every random draw (weights, data order, augmentation, SignCL sampling). Default 42.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Intra-op CPU threads for LibTorch; 0 keeps LibTorch's default (one per core). Default 0.</summary>
    public int Threads { get; init; }

    /// <summary>Device for every tensor: <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>. Default <c>cpu</c>.</summary>
    public string Device { get; init; } = "cpu";

    public IEnumerable<ConfigProblem> Validate()
    {
        if (Threads < 0)
            yield return new ConfigProblem("threads", $"must be 0 (LibTorch default) or a positive number of threads, got {Threads}");
        if (!IsDeviceName(Device))
            yield return new ConfigProblem("device", $"must be cpu, cuda or cuda:N, got '{Device}'");
        if (string.IsNullOrWhiteSpace(OutputDir))
            yield return new ConfigProblem("output_dir", $"must not be empty, got '{OutputDir}'");
    }

    private static bool IsDeviceName(string device) =>
        device == "cpu" || device == "cuda" ||
        (device.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(device.AsSpan(5), out var index) && index >= 0);
}
