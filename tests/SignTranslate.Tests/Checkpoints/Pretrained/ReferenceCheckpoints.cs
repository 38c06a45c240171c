using System.Collections.Concurrent;
using System.Text.Json;
using SignTranslate.Checkpoints;
using SignTranslate.Decoding;
using SignTranslate.Models;
using static TorchSharp.torch;

namespace SignTranslate.Tests.Checkpoints.Pretrained;

/// <summary>
/// The reference-format checkpoints of <c>tests/fixtures/testdata/checkpoints</c> (or the folder named by
/// <c>SLT_CHECKPOINT_VECTORS</c>), each file read once per test run and kept outside every dispose scope. The folder's
/// JSON descriptions say what its files hold (key lists, storage layout, generation runs, tolerances); tests take those
/// numbers from here, so they pass on any folder of the same format, whatever its seeds, sizes or offsets.
/// </summary>
public static class ReferenceCheckpoints
{
    public const string EnvironmentVariable = "SLT_CHECKPOINT_VECTORS";

    private static readonly ConcurrentDictionary<string, Lazy<Dictionary<string, Dictionary<string, Tensor>>>> Files = new();
    private static readonly ConcurrentDictionary<string, Lazy<JsonElement>> Descriptions = new();

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
    public static ModelOptions SltOptions()
    {
        var mbart = MBartOptions.FromConfigJson(MytranConfig);
        return new ModelOptions { Visual = VisualBackboneOptions.Faithful with { TemporalHiddenSize = mbart.DModel }, Mbart = mbart };
    }

    /// <summary>A JSON file of the folder, parsed once.</summary>
    public static JsonElement Description(string file) =>
        Descriptions.GetOrAdd(file, f => new(() =>
        {
            using var document = JsonDocument.Parse(File.ReadAllText(PathOf(f)));
            return document.RootElement.Clone();
        })).Value;

    public static JsonElement Slt => Description("slt_checkpoint.json");
    public static JsonElement Vlp => Description("vlp_checkpoint.json");
    public static JsonElement FinetuneMap => Description("finetune_map.json");

    /// <summary>
    /// The key names of a state description (<c>model_state</c>, <c>text_decoder_state</c>: <c>keys</c> as
    /// [name, dtype, shape] rows), in file order; throws if their number is not the description's <c>num_keys</c>.
    /// </summary>
    public static IReadOnlyList<string> StateKeys(JsonElement state)
    {
        var keys = state.GetProperty("keys").EnumerateArray().Select(k => k[0].GetString()!).ToList();
        var declared = state.GetProperty("num_keys").GetInt32();
        if (keys.Count != declared)
            throw new InvalidDataException($"the fixture lists {keys.Count} keys but declares num_keys {declared}");
        return keys;
    }

    /// <summary>The fixture's tolerance for one output: its atol and rtol in a table such as <c>fp32_vs_fp64</c>.</summary>
    public static (double Atol, double Rtol) Tolerance(JsonElement table, string output)
    {
        var entry = table.GetProperty(output);
        return (entry.GetProperty("atol").GetDouble(), entry.GetProperty("rtol").GetDouble());
    }

    /// <summary>The generation runs recorded in slt_checkpoint.json → <c>generate</c>, in file order.</summary>
    public static IReadOnlyList<string> GenerationRuns => Slt.GetProperty("generate").EnumerateObject().Select(p => p.Name).ToList();

    /// <summary>
    /// The settings of a recorded run: the arguments of its call (num_beams, max_new_tokens, decoder_start_token_id) on
    /// top of the model's generation config (eos, pad, forced eos), which supplies everything the call leaves out.
    /// </summary>
    public static GenerationOptions GenerationOptionsOf(string run)
    {
        var call = Slt.GetProperty("generate").GetProperty(run).GetProperty("call");
        var config = Slt.GetProperty("model_generation_config");
        return new GenerationOptions
        {
            DecoderStartTokenId = call.GetProperty("decoder_start_token_id").GetInt64(),
            NumBeams = call.GetProperty("num_beams").GetInt32(),
            MaxNewTokens = call.GetProperty("max_new_tokens").GetInt32(),
            EosTokenId = config.GetProperty("eos_token_id").GetInt64(),
            PadTokenId = config.GetProperty("pad_token_id").GetInt64(),
            ForcedEosTokenId = config.TryGetProperty("forced_eos_token_id", out var forced) && forced.ValueKind == JsonValueKind.Number ? forced.GetInt64() : null,
        };
    }
}
