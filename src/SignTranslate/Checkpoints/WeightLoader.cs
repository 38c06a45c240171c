using Serilog;
using static TorchSharp.torch;

namespace SignTranslate.Checkpoints;

/// <summary>
/// Loads tensors into a module by state-dict name (parameters and buffers), with a report of loaded / missing /
/// unexpected / shape-mismatched keys. Strict mode throws <see cref="WeightLoadException"/> unless the load is complete.
/// </summary>
public static class WeightLoader
{
    /// <summary>
    /// Copies each tensor of <paramref name="source"/> into the module entry of the same name. Keys of the source are
    /// first passed through <paramref name="renameSourceKey"/> (return null to drop a key, e.g. to strip a prefix).
    /// An incomplete non-strict load is logged as a warning unless <paramref name="warnIfIncomplete"/> is false (for
    /// loads that fill only part of a module on purpose).
    /// </summary>
    public static WeightLoadReport Load(nn.Module module, IReadOnlyDictionary<string, Tensor> source, bool strict = false,
        Func<string, string?>? renameSourceKey = null, string sourceName = "weights", bool warnIfIncomplete = true)
    {
        var renamed = new Dictionary<string, Tensor>();
        foreach (var (key, tensor) in source)
        {
            var name = renameSourceKey is null ? key : renameSourceKey(key);
            if (name is not null) renamed[name] = tensor;
        }

        var target = module.state_dict();
        var loaded = new List<string>();
        var missing = new List<string>();
        var mismatched = new List<ShapeMismatch>();
        using (no_grad())
        {
            foreach (var (name, destination) in target)
            {
                if (!renamed.TryGetValue(name, out var value))
                {
                    missing.Add(name);
                    continue;
                }
                if (!destination.shape.SequenceEqual(value.shape))
                {
                    mismatched.Add(new ShapeMismatch(name, destination.shape, value.shape));
                    continue;
                }
                destination.copy_(value);
                loaded.Add(name);
            }
        }
        var unexpected = renamed.Keys.Where(k => !target.ContainsKey(k)).ToList();
        var report = new WeightLoadReport { Loaded = loaded, Missing = missing, Unexpected = unexpected, ShapeMismatched = mismatched };
        if (strict && !report.IsComplete)
            throw new WeightLoadException(sourceName, report);
        if (!report.IsComplete && warnIfIncomplete)
            Log.Warning("Loading {Source}: {Summary}", sourceName, report.Describe(5));
        return report;
    }

    /// <summary>Loads a safetensors file by name; see <see cref="Load(nn.Module, IReadOnlyDictionary{string, Tensor}, bool, Func{string, string?}?, string, bool)"/>.</summary>
    public static WeightLoadReport LoadSafeTensors(nn.Module module, string path, bool strict = false,
        Func<string, string?>? renameSourceKey = null)
    {
        var tensors = SafeTensorsFile.Load(path);
        try
        {
            return Load(module, tensors, strict, renameSourceKey, path);
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }

    /// <summary>A key renamer that keeps only keys starting with <paramref name="prefix"/> and strips it.</summary>
    public static Func<string, string?> StripPrefix(string prefix) =>
        key => key.StartsWith(prefix, StringComparison.Ordinal) ? key[prefix.Length..] : null;
}
