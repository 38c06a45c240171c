using System.Collections.Concurrent;
using SignTranslate.Models;
using SignTranslate.Models.Checkpoints;
using static TorchSharp.torch;

namespace SignTranslate.Tests.Models.Pretrained;

/// <summary>
/// The reference-format checkpoints of <c>tests/fixtures/testdata/checkpoints</c> (or the folder named by
/// <c>SLT_CHECKPOINT_VECTORS</c>), each file read once per test run and kept outside every dispose scope.
/// </summary>
public static class ReferenceCheckpoints
{
    public const string EnvironmentVariable = "SLT_CHECKPOINT_VECTORS";

    private static readonly ConcurrentDictionary<string, Lazy<Dictionary<string, Dictionary<string, Tensor>>>> Files = new();

    public static string Folder => TestFixtures.Folder("checkpoints", EnvironmentVariable);

    public static string PathOf(params string[] relative) => Path.Combine([Folder, .. relative]);

    /// <summary>The state dicts of a <c>torch.save</c> file (entry "" = plain state dict) or of a safetensors file (entry "").</summary>
    public static IReadOnlyDictionary<string, Tensor> StateDict(string file, string entry = "") =>
        Files.GetOrAdd(file, f => new(() =>
        {
            var dicts = f.EndsWith(".safetensors", StringComparison.Ordinal)
                ? new Dictionary<string, Dictionary<string, Tensor>> { [""] = SafeTensorsFile.Load(PathOf(f)) }
                : PyTorchCheckpointFile.LoadStateDicts(PathOf(f));
            foreach (var t in dicts.Values.SelectMany(d => d.Values)) t.DetachFromDisposeScope();
            return dicts;
        })).Value[entry];

    public static string MytranConfig => PathOf("pretrain_models", "mytran", "config.json");
    public static string MBartTrimmedFolder => PathOf("pretrain_models", "MBart_trimmed");

    /// <summary>The SLT model of the fixtures: the mytran config, reference visual behaviour, TemporalConv width = d_model.</summary>
    public static SltModelOptions SltOptions()
    {
        var mbart = MBartOptions.FromConfigJson(MytranConfig);
        return new SltModelOptions { Visual = VisualBackboneOptions.Faithful with { TemporalHiddenSize = mbart.DModel }, MBart = mbart };
    }
}
