using System.Collections.Concurrent;
using System.Text.Json;
using SignTranslate.Checkpoints;
using static TorchSharp.torch;

namespace SignTranslate.Tests.Models;

/// <summary>
/// The reference vectors of <c>tests/fixtures/testdata/models</c> (or the folder named by <c>SLT_MODEL_VECTORS</c>):
/// the manifest's files, cases and tolerances, and each safetensors file loaded once per test run.
/// </summary>
public static class ModelVectors
{
    public const string EnvironmentVariable = "SLT_MODEL_VECTORS";

    private static readonly ConcurrentDictionary<string, Lazy<(IReadOnlyDictionary<string, Tensor> Tensors, IReadOnlyDictionary<string, string> Metadata)>> Files = new();
    private static readonly Lazy<JsonDocument> ManifestDocument = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "manifest.json"))));

    public static string Folder => TestFixtures.Folder("models", EnvironmentVariable);

    public static string PathOf(string file) => Path.Combine(Folder, file);

    /// <summary>The tensors of a safetensors file of the folder, loaded once and kept outside every dispose scope.</summary>
    public static IReadOnlyDictionary<string, Tensor> Tensors(string file) => Load(file).Tensors;

    /// <summary>The <c>__metadata__</c> entry of a safetensors file (for example <c>weights_file</c>).</summary>
    public static string Metadata(string file, string key) =>
        Load(file).Metadata.TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"{file} has no metadata '{key}'.");

    private static (IReadOnlyDictionary<string, Tensor> Tensors, IReadOnlyDictionary<string, string> Metadata) Load(string file) =>
        Files.GetOrAdd(file, f => new(() =>
        {
            var loaded = SafeTensorsFile.Load(PathOf(f), out var metadata);
            foreach (var t in loaded.Values) t.DetachFromDisposeScope();
            return (loaded, metadata);
        })).Value;

    public static Tensor Tensor(string file, string name) =>
        Tensors(file).TryGetValue(name, out var t) ? t : throw new KeyNotFoundException($"{file} has no tensor '{name}'.");

    /// <summary>Every (file, case) the manifest lists for files whose name matches <paramref name="filePredicate"/>.</summary>
    public static TheoryData<string, string> Cases(Func<string, bool> filePredicate)
    {
        var data = new TheoryData<string, string>();
        foreach (var file in ManifestDocument.Value.RootElement.GetProperty("files").EnumerateObject())
        {
            if (!filePredicate(file.Name) || !file.Value.TryGetProperty("cases", out var cases)) continue;
            foreach (var c in cases.EnumerateObject())
                data.Add(file.Name, c.Name);
        }
        return data;
    }

    /// <summary>Manifest file names matching the predicate (for files without cases, such as the generate JSON).</summary>
    public static IEnumerable<string> FileNames(Func<string, bool> filePredicate) =>
        ManifestDocument.Value.RootElement.GetProperty("files").EnumerateObject().Select(f => f.Name).Where(filePredicate);

    /// <summary>The manifest's recommended (atol, rtol) for a tensor; names such as <c>train.after.*</c> match by prefix.</summary>
    public static (double Atol, double Rtol) Tolerance(string file, string tensor)
    {
        foreach (var entry in ManifestDocument.Value.RootElement.GetProperty("tolerances").EnumerateArray())
        {
            if (entry.GetProperty("file").GetString() != file) continue;
            var pattern = entry.GetProperty("tensor").GetString()!;
            var matches = pattern.EndsWith('*') ? tensor.StartsWith(pattern[..^1], StringComparison.Ordinal) : tensor == pattern;
            if (matches)
                return (entry.GetProperty("recommended_atol").GetDouble(), entry.GetProperty("recommended_rtol").GetDouble());
        }
        throw new KeyNotFoundException($"manifest.json lists no tolerance for {file} {tensor}.");
    }

    /// <summary>Loads a weights file into the module, requiring every key to match.</summary>
    public static void LoadWeights(nn.Module module, string file, Func<string, string?>? rename = null)
    {
        var report = WeightLoader.Load(module, Tensors(file), strict: true, rename, file);
        Assert.NotEmpty(report.Loaded);
    }
}

/// <summary>Element-wise closeness with the reference rule |actual − expected| ≤ atol + rtol·|expected|.</summary>
public static class TensorAssert
{
    public static void Close(Tensor expected, Tensor actual, double atol, double rtol, string what)
    {
        Assert.Equal(expected.shape, actual.shape);
        using var scope = NewDisposeScope();
        var e = expected.to(ScalarType.Float64);
        var a = actual.detach().cpu().to(ScalarType.Float64);
        Assert.False(a.isnan().any().item<bool>(), $"{what}: NaN in the output");
        var excess = (a - e).abs() - (atol + rtol * e.abs());
        var worst = excess.max().item<double>();
        var maxAbs = (a - e).abs().max().item<double>();
        Assert.True(worst <= 0, $"{what}: max |diff| {maxAbs:E3} exceeds atol {atol:E1} + rtol {rtol:E1}·|expected|");
    }

    public static void Equal(Tensor expected, Tensor actual, string what)
    {
        Assert.Equal(expected.shape, actual.shape);
        var e = expected.to(ScalarType.Int64).data<long>().ToArray();
        var a = actual.cpu().to(ScalarType.Int64).data<long>().ToArray();
        Assert.True(e.SequenceEqual(a), $"{what}: expected [{string.Join(",", e)}] got [{string.Join(",", a)}]");
    }
}
