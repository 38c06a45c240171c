using System.Text.Json;
using SignTranslate.Checkpoints.Pretrained;
using SignTranslate.Models;
using SignTranslate.Tests.Models;
using static TorchSharp.torch;

namespace SignTranslate.Tests.Checkpoints.Pretrained;

/// <summary>
/// The reference <c>--finetune</c> load (VLP checkpoint → SLT model) against <c>finetune_map.json</c>,
/// <c>finetune_slt_state.safetensors</c> and <c>finetune_cases.safetensors</c>: one theory row per script variant the
/// map records.
/// </summary>
public class VlpToSltTransferTests
{
    private const string Vlp = "vlp_checkpoint.pth";
    private const string MBartBin = "pretrain_models/MBart_trimmed/pytorch_model.bin";
    private const string FinetunedState = "finetune_slt_state.safetensors";

    /// <summary>Every script variant in finetune_map.json (objects with a <c>new_state_dict</c>).</summary>
    public static TheoryData<string> Variants
    {
        get
        {
            var data = new TheoryData<string>();
            using var map = ReadMap();
            foreach (var entry in map.RootElement.EnumerateObject())
                if (entry.Value.ValueKind == JsonValueKind.Object && entry.Value.TryGetProperty("new_state_dict", out _))
                    data.Add(entry.Name);
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void MappingMatchesTheReferenceNewStateDict(string variant)
    {
        using var map = ReadMap();
        var expected = map.RootElement.GetProperty(variant).GetProperty("new_state_dict").EnumerateArray()
            .Select(pair => (Key: pair[0].GetString()!, Source: pair[1].GetString()!)).ToList();

        var mapped = VlpToSltTransfer.Map(ReferenceCheckpoints.StateDict(Vlp, "model"), ReferenceCheckpoints.StateDict(Vlp, "text_decoder"),
            ReferenceCheckpoints.StateDict(MBartBin), OptionsOf(variant));

        Assert.Equal(expected.Count, mapped.Count);
        Assert.Equal(expected.ToDictionary(p => p.Key, p => p.Source), mapped.ToDictionary(w => w.TargetKey, w => w.Source));
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void LoadedSltModelHoldsExactlyTheRecordedTensorForEveryMappedKey(string variant)
    {
        using var scope = NewDisposeScope();
        using var map = ReadMap();
        var model = new SltModel(ReferenceCheckpoints.SltOptions());
        var report = VlpToSltTransfer.Load(model, ReferenceCheckpoints.StateDict(Vlp, "model"), ReferenceCheckpoints.StateDict(Vlp, "text_decoder"),
            ReferenceCheckpoints.StateDict(MBartBin), OptionsOf(variant));

        // PyTorch leaves sign_emb's num_batches_tracked out of missing_keys (BatchNorm's legacy path); we list it.
        var expectedMissing = map.RootElement.GetProperty(variant).GetProperty("missing_keys").EnumerateArray().Select(k => k.GetString()!)
            .Append("sign_emb.bn_ac.0.num_batches_tracked").Order(StringComparer.Ordinal);
        Assert.Equal(expectedMissing, report.Missing.Order(StringComparer.Ordinal));
        Assert.Empty(report.Unexpected);
        Assert.Empty(report.ShapeMismatched);

        var state = model.state_dict();
        var recorded = ReferenceCheckpoints.StateDict(FinetunedState);
        var final = map.RootElement.GetProperty("final").EnumerateArray().Select(p => (Key: p[0].GetString()!, Source: p[1].GetString()!)).ToList();
        Assert.Equal(state.Keys.Order(StringComparer.Ordinal), final.Select(p => p.Key).Order(StringComparer.Ordinal));
        var loaded = final.Where(p => p.Source != "init").ToList();
        Assert.NotEmpty(loaded);
        foreach (var (key, source) in loaded)
        {
            var expected = recorded.TryGetValue(key, out var r) ? r : SourceTensor(source);
            Assert.True(expected.shape.SequenceEqual(state[key].shape) && expected.eq(state[key]).all().item<bool>(), $"{key} differs from {source}");
        }
        // A key the map says keeps its fresh value must be one the load reports missing.
        Assert.Subset(report.Missing.ToHashSet(), final.Where(p => p.Source == "init").Select(p => p.Key).ToHashSet());
    }

    [Fact]
    public void FinetunedStateReproducesTheRecordedOutputs()
    {
        using var scope = NewDisposeScope();
        var model = new SltModel(ReferenceCheckpoints.SltOptions());
        VlpToSltTransfer.Load(model, ReferenceCheckpoints.StateDict(Vlp, "model"), ReferenceCheckpoints.StateDict(Vlp, "text_decoder"),
            ReferenceCheckpoints.StateDict(MBartBin), new VlpTransferOptions());
        // The keys the reference leaves at their fresh values (sign_emb, lm_head, final_logits_bias) come from the file.
        var report = SignTranslate.Checkpoints.WeightLoader.Load(model, ReferenceCheckpoints.StateDict(FinetunedState), warnIfIncomplete: false);
        // Exactly the keys the file omits (the ResNet conv weights, finetune_map.json → omitted_from_safetensors) stay
        // as the transfer loaded them.
        var omitted = ReferenceCheckpoints.FinetuneMap.GetProperty("omitted_from_safetensors").EnumerateArray().Select(k => k.GetString()!);
        Assert.Equal(omitted.Order(StringComparer.Ordinal), report.Missing.Order(StringComparer.Ordinal));
        model.eval();

        var cases = ReferenceCheckpoints.StateDict("slt_cases.safetensors");
        var expected = ReferenceCheckpoints.StateDict("finetune_cases.safetensors");
        var deviations = ReferenceCheckpoints.FinetuneMap.GetProperty("finetuned_outputs_fp32_vs_fp64");   // holds each output's atol, rtol
        using (no_grad())
        {
            var (embeds, visual) = model.Embed(SignInputs.Rgb(cases["src.input_ids"]), cases["src.src_length_batch"]);
            var output = model.MBart.Forward(attentionMask: cases["src.attention_mask"], decoderAttentionMask: cases["tgt.attention_mask"],
                labels: cases["tgt.input_ids"], inputsEmbeds: embeds);
            foreach (var (name, actual) in new[] { ("resnet_features", visual.FrameFeatures), ("frames_feature", visual.Features), ("inputs_embeds", embeds),
                         ("encoder_last_hidden_state", output.EncoderLastHiddenState), ("logits", output.Logits) })
            {
                var (atol, rtol) = ReferenceCheckpoints.Tolerance(deviations, name);
                TensorAssert.Close(expected[name], actual, atol, rtol, name);
            }
        }
    }

    [Fact]
    public void LlmdDropsTheVlpTextDecoderButStillTakesTheMBartDecoderTables()
    {
        var mapped = VlpToSltTransfer.Map(ReferenceCheckpoints.StateDict(Vlp, "model"), ReferenceCheckpoints.StateDict(Vlp, "text_decoder"),
            ReferenceCheckpoints.StateDict(MBartBin), new VlpTransferOptions { Variant = VlpTransferVariant.SignCl, TransferTextDecoder = false });
        Assert.DoesNotContain(mapped, w => w.Source.StartsWith("vlp:text_decoder:", StringComparison.Ordinal));
        Assert.Equal(["mbart.model.decoder.embed_positions.weight", "mbart.model.decoder.embed_tokens.weight"],
            mapped.Where(w => w.TargetKey.StartsWith("mbart.model.decoder.", StringComparison.Ordinal)).Select(w => w.TargetKey).Order(StringComparer.Ordinal));
        // SignCL's recorded mapping less everything it takes from the VLP text decoder: the decoder tables it takes from
        // MBart_trimmed stay, because LLMD skips only the text-decoder loop.
        using var map = ReadMap();
        var expected = map.RootElement.GetProperty("signcl_train_csl").GetProperty("new_state_dict").EnumerateArray()
            .Select(pair => (Key: pair[0].GetString()!, Source: pair[1].GetString()!))
            .Where(p => !p.Source.StartsWith("vlp:text_decoder:", StringComparison.Ordinal)).ToList();
        Assert.Equal(expected.Count, mapped.Count);
        Assert.Equal(expected.ToDictionary(p => p.Key, p => p.Source), mapped.ToDictionary(w => w.TargetKey, w => w.Source));
    }

    private static VlpTransferOptions OptionsOf(string variant) => variant switch
    {
        "gfslt_train_slt" => new VlpTransferOptions { Variant = VlpTransferVariant.Gfslt },
        "signcl_train_csl" => new VlpTransferOptions { Variant = VlpTransferVariant.SignCl },
        _ => throw new ArgumentException($"finetune_map.json variant '{variant}' is not known to the test"),
    };

    private static Tensor SourceTensor(string source)
    {
        var parts = source.Split(':', 3);
        return parts[0] switch
        {
            "vlp" => ReferenceCheckpoints.StateDict(Vlp, parts[1])[parts[2]],
            "transformer_bin" => ReferenceCheckpoints.StateDict(MBartBin)[source["transformer_bin:".Length..]],
            _ => throw new ArgumentException($"unknown source notation '{source}'"),
        };
    }

    private static JsonDocument ReadMap() =>
        JsonDocument.Parse(File.ReadAllText(ReferenceCheckpoints.PathOf("finetune_map.json")));
}
