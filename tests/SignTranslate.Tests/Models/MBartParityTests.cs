using SignTranslate.Models;
using static TorchSharp.torch;

namespace SignTranslate.Tests.Models;

/// <summary>Tiny mBART (gelu/tied and relu/untied) against HF 4.32: hidden states, logits, labels and inputs_embeds paths.</summary>
public class MBartParityTests
{
    public static TheoryData<string, string> CaseNames =>
        ModelVectors.Cases(f => f.StartsWith("mbart_", StringComparison.Ordinal) && f.EndsWith("_cases.safetensors", StringComparison.Ordinal));

    /// <summary>A tiny reference model in eval mode, with the weights of the cases file's <c>weights_file</c>.</summary>
    internal static MBartForConditionalGeneration LoadModel(string casesOrGenerateFile, string weightsFile, string configFile)
    {
        var options = MBartOptions.FromConfigJson(ModelVectors.PathOf(configFile));
        var model = new MBartForConditionalGeneration(options);
        ModelVectors.LoadWeights(model, weightsFile);
        model.eval();
        return model;
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void MBartMatchesReference(string file, string caseName)
    {
        using var scope = NewDisposeScope();
        var model = LoadModel(file, ModelVectors.Metadata(file, "weights_file"), ModelVectors.Metadata(file, "config_file"));
        Tensor T(string name) => ModelVectors.Tensor(file, $"{caseName}.{name}");
        Tensor S2S(string name) => ModelVectors.Tensor(file, $"s2s.{name}");
        using var _ = no_grad();

        switch (caseName)
        {
            case "s2s":
            {
                var output = model.Forward(T("input_ids"), T("attention_mask"), T("decoder_input_ids"), T("decoder_attention_mask"),
                    outputHiddenStates: true);
                Check(file, "s2s.encoder_last_hidden_state", output.EncoderLastHiddenState);
                Check(file, "s2s.encoder_hidden_states", stack(output.EncoderHiddenStates!));
                Check(file, "s2s.decoder_hidden_states", stack(output.DecoderHiddenStates!));
                Check(file, "s2s.logits", output.Logits);
                break;
            }
            case "labels":
            {
                var shifted = MBartForConditionalGeneration.ShiftTokensRight(T("labels"), model.Options.PadTokenId);
                TensorAssert.Equal(T("shifted_decoder_input_ids"), shifted, "shift_tokens_right");
                var output = model.Forward(S2S("input_ids"), S2S("attention_mask"), decoderAttentionMask: T("decoder_attention_mask"),
                    labels: T("labels"));
                Check(file, "labels.logits", output.Logits);
                break;
            }
            case "embeds":
            {
                var output = model.Encoder.Forward(null, T("attention_mask"), T("inputs_embeds"));
                Check(file, "embeds.encoder_last_hidden_state", output.LastHiddenState);
                break;
            }
            default:
                Assert.Fail($"{file}: case '{caseName}' has no test; add one.");
                break;
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void TokenTableIsSharedByEncoderDecoderAndTiedHeadOnly(bool tie)
    {
        using var scope = NewDisposeScope();
        var options = new MBartOptions
        {
            VocabSize = 20, DModel = 8, EncoderLayers = 1, DecoderLayers = 1, EncoderAttentionHeads = 2, DecoderAttentionHeads = 2,
            EncoderFfnDim = 8, DecoderFfnDim = 8, MaxPositionEmbeddings = 16, TieWordEmbeddings = tie,
        };
        var model = new MBartForConditionalGeneration(options);
        var state = model.state_dict();
        using (no_grad())
            state["model.shared.weight"].add_(1.0);
        var shared = state["model.shared.weight"];
        Assert.True(shared.allclose(state["model.encoder.embed_tokens.weight"]));
        Assert.True(shared.allclose(state["model.decoder.embed_tokens.weight"]));
        Assert.Equal(tie, shared.allclose(state["lm_head.weight"]));

        // Unique parameters: token table once, lm_head only when untied; final_logits_bias is a buffer.
        long d = 8, v = 20, ffn = 8, positions = (16 + 2) * d;
        long attention = 4 * (d * d + d), layerNorm = 2 * d;
        long encoderLayer = attention + 2 * layerNorm + (d * ffn + ffn) + (ffn * d + d);
        long decoderLayer = encoderLayer + attention + layerNorm;
        var expected = v * d + 2 * positions + 4 * layerNorm + encoderLayer + decoderLayer + (tie ? 0 : v * d);
        Assert.Equal(expected, ParameterCount.Unique(model));
    }

    [Fact]
    public void ConfigJsonReadsHfFieldsAndRejectsUnsupportedValuesWithThePath()
    {
        var options = MBartOptions.FromConfigJson(ModelVectors.PathOf("mbart_tiny_relu_config.json"));
        Assert.Equal(new MBartOptions
        {
            VocabSize = 50, MaxPositionEmbeddings = 64, DModel = 32, EncoderLayers = 2, DecoderLayers = 2, EncoderAttentionHeads = 4,
            DecoderAttentionHeads = 4, EncoderFfnDim = 64, DecoderFfnDim = 64, Dropout = 0.1, AttentionDropout = 0.1,
            ActivationFunction = "relu", ScaleEmbedding = true, TieWordEmbeddings = false, ForcedEosTokenId = 2,
        }, options);

        var path = Path.Combine(Path.GetTempPath(), $"slt-bad-config-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(path, """{ "d_model": 32, "encoder_attention_heads": 4, "decoder_attention_heads": 4, "activation_function": "swish" }""");
            var error = Assert.Throws<InvalidDataException>(() => MBartOptions.FromConfigJson(path));
            Assert.Contains(path, error.Message);
            Assert.Contains("swish", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static void Check(string file, string tensor, Tensor actual)
    {
        var (atol, rtol) = ModelVectors.Tolerance(file, tensor);
        TensorAssert.Close(ModelVectors.Tensor(file, tensor), actual, atol, rtol, $"{file} {tensor}");
    }
}
