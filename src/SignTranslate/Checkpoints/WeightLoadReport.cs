namespace SignTranslate.Checkpoints;

/// <summary>A key whose stored shape differs from the model's.</summary>
public sealed record ShapeMismatch(string Key, long[] Expected, long[] Found)
{
    public override string ToString() => $"{Key}: model [{string.Join(",", Expected)}], file [{string.Join(",", Found)}]";
}

/// <summary>What a load by name did: which model keys were filled, which were absent, which file keys had no home.</summary>
public sealed record WeightLoadReport
{
    public required IReadOnlyList<string> Loaded { get; init; }
    public required IReadOnlyList<string> Missing { get; init; }
    public required IReadOnlyList<string> Unexpected { get; init; }
    public required IReadOnlyList<ShapeMismatch> ShapeMismatched { get; init; }

    /// <summary>True when every model key was loaded and every file key was used.</summary>
    public bool IsComplete => Missing.Count == 0 && Unexpected.Count == 0 && ShapeMismatched.Count == 0;

    /// <summary>A readable multi-line summary: counts, then up to <paramref name="maxKeysPerList"/> keys of each problem list.</summary>
    public string Describe(int maxKeysPerList = 20)
    {
        var lines = new List<string>
        {
            $"loaded {Loaded.Count}, missing {Missing.Count}, unexpected {Unexpected.Count}, shape-mismatched {ShapeMismatched.Count}",
        };
        AddList("missing", Missing);
        AddList("unexpected", Unexpected);
        AddList("shape-mismatched", ShapeMismatched.Select(m => m.ToString()).ToList());
        return string.Join(Environment.NewLine, lines);

        void AddList(string title, IReadOnlyList<string> keys)
        {
            if (keys.Count == 0) return;
            lines.Add($"{title}:");
            lines.AddRange(keys.Take(maxKeysPerList).Select(k => "  " + k));
            if (keys.Count > maxKeysPerList) lines.Add($"  … and {keys.Count - maxKeysPerList} more");
        }
    }
}

/// <summary>Thrown by a strict load that was not complete; the message carries the report.</summary>
public sealed class WeightLoadException(string source, WeightLoadReport report)
    : Exception($"{source}: weights do not match the model ({report.Describe()})")
{
    public WeightLoadReport Report { get; } = report;
}
