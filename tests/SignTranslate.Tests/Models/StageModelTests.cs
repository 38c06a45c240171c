using SignTranslate.Decoding;
using SignTranslate.Losses;
using SignTranslate.Models;
using static TorchSharp.torch;

namespace SignTranslate.Tests.Models;

/// <summary>The SLT and VLP stage models: reference parameter counts, names, shapes and the CLIP loss.</summary>
public class StageModelTests
{
    [Fact]
    public void PhoenixVlpModelHasTheLoggedParameterCount()
    {
        using var scope = NewDisposeScope();
        using var model = new VlpModel(ModelOptions.Phoenix);
        Assert.Equal(216_175_169, ParameterCount.Unique(model));
    }

    [Fact]
    public void PhoenixSltModelWithMytranHasTheReferenceParameterCount()
    {
        using var scope = NewDisposeScope();
        using var model = new SltModel(ModelOptions.Phoenix);
        Assert.Equal(115_412_544, ParameterCount.Unique(model));
    }

    [Fact]
    public void PhoenixVlpTextDecoderHasTheComputedParameterCount()
    {
        using var scope = NewDisposeScope();
        using var decoder = new VlpTextDecoder(MBartOptions.Mytran());
        Assert.Equal(56_470_528, ParameterCount.Unique(decoder));
    }

    [Fact]
    public void SltModelUsesReferenceKeyNames()
    {
        using var scope = NewDisposeScope();
        var model = new SltModel(TinySlt());
        var keys = model.state_dict().Keys.ToHashSet();
        foreach (var key in new[]
                 {
                     "backbone.conv_2d.cnn.layers.0.weight", "backbone.conv_1d.temporal_conv.0.weight", "backbone.conv_1d.temporal_conv.5.running_var",
                     "sign_emb.src_emb.weight", "sign_emb.bn_ac.0.num_batches_tracked", "mbart.model.shared.weight",
                     "mbart.model.encoder.layers.0.self_attn.q_proj.weight", "mbart.model.decoder.layers.0.encoder_attn.k_proj.bias",
                     "mbart.model.decoder.embed_positions.weight", "mbart.lm_head.weight", "mbart.final_logits_bias",
                 })
            Assert.Contains(key, keys);
    }

    [Fact]
    public void SltForwardAndGenerateHaveTheExpectedShapes()
    {
        using var scope = NewDisposeScope();
        manual_seed(7);
        var model = new SltModel(TinySlt());
        var lengths = new long[] { 16, 12 };
        var frames = randn(lengths.Sum(), 3, 16, 16);
        var videoMask = FeatureExtractor.OutputMask(lengths);                                      // [2,1]
        var labels = tensor(new long[] { 5, 6, 7, 2, 19, 8, 9, 2, 19, 1 }, new long[] { 2, 5 });
        var labelMask = labels.ne(1).to(ScalarType.Int64);
        var output = model.Forward(frames, tensor(lengths), videoMask, labels, labelMask);
        Assert.Equal(new long[] { 2, 5, 20 }, output.Logits.shape);
        Assert.Equal(new long[] { 2, 16, 8 }, output.FrameFeatures.shape);
        Assert.Equal(new long[] { 2, 1, 16 }, output.SignFeatures.shape);

        model.eval();
        var generated = model.Generate(frames, tensor(lengths), videoMask, new GenerationOptions { DecoderStartTokenId = 19, MaxNewTokens = 5, NumBeams = 2 });
        Assert.Equal(2, generated.Sequences.Length);
        Assert.All(generated.Sequences, row => Assert.Equal(19, row[0]));
        Assert.All(generated.Sequences, row => Assert.InRange(row.Length, 2, 6));
    }

    [Fact]
    public void SltBackwardReachesEveryParameterExceptThePaddingRowAndFreezingStopsTheFrameEncoder()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        var options = TinySlt() with { Visual = TinyVisual() with { FreezeFrameEncoder = true } };
        var model = new SltModel(options);
        model.train();
        var lengths = new long[] { 28, 24 };
        var labels = tensor(new long[] { 5, 6, 7, 2, 19, 8, 9, 2, 19, 1 }, new long[] { 2, 5 });
        var output = model.Forward(randn(lengths.Sum(), 3, 16, 16), tensor(lengths), FeatureExtractor.OutputMask(lengths), labels, labels.ne(1).to(ScalarType.Int64));
        var loss = nn.functional.cross_entropy(output.Logits.reshape(-1, 20), labels.reshape(-1), ignore_index: 1, label_smoothing: 0.2);
        loss.backward();

        foreach (var (name, p) in model.named_parameters())
        {
            if (name.StartsWith("backbone.conv_2d.", StringComparison.Ordinal))
            {
                Assert.False(p.requires_grad, name);
                continue;
            }
            // A key bias shifts every score of a query equally, so softmax cancels its gradient (zero up to rounding).
            if (name.EndsWith("k_proj.bias", StringComparison.Ordinal)) continue;
            Assert.True(p.grad is not null && p.grad.abs().sum().item<float>() > 0, $"{name} got no gradient");
        }
        // Like nn.Embedding(padding_idx=1): the padding row of the shared token table receives no gradient.
        var tokenGrad = model.MBart.Model.Shared.Weight.grad!;
        Assert.Equal(0f, tokenGrad[1].abs().sum().item<float>());
        Assert.True(tokenGrad[19].abs().sum().item<float>() > 0);
    }

    [Fact]
    public void VlpForwardGivesScaledCosineLogitsAndFiniteLoss()
    {
        using var scope = NewDisposeScope();
        manual_seed(11);
        var mbart = TinyMBart();
        var model = new VlpModel(new ModelOptions
        {
            Visual = TinyVisual(), VisualEncoder = mbart, TextEncoder = mbart with { ActivationFunction = "gelu", TieWordEmbeddings = true },
        });
        model.eval();
        var lengths = new long[] { 16, 16, 12 };
        var ids = tensor(new long[] { 5, 6, 2, 19, 7, 8, 2, 19, 9, 2, 19, 1 }, new long[] { 3, 4 });
        var output = model.Forward(randn(lengths.Sum(), 3, 16, 16), tensor(lengths), FeatureExtractor.OutputMask(lengths), ids, ids.ne(1).to(ScalarType.Int64));
        Assert.Equal(new long[] { 3, 3 }, output.LogitsPerImage.shape);
        Assert.True(output.LogitsPerText.allclose(output.LogitsPerImage.t()));
        // Cosine similarities times exp(ln(1/0.07)) lie within ±1/0.07.
        Assert.True(output.LogitsPerImage.abs().max().item<float>() <= 1 / 0.07 + 1e-3);
        var loss = ClipKlLoss.Compute(output.LogitsPerImage, output.LogitsPerText);
        Assert.True(float.IsFinite(loss.item<float>()) && loss.item<float>() > 0);
    }

    [Fact]
    public void TextPoolingReadsTheLastNonPadTokenOrTheLargestId()
    {
        using var scope = NewDisposeScope();
        var options = TinyMBart() with { VocabSize = 30 };
        var ids = tensor(new long[] { 5, 25, 2, 19, 7, 2, 19, 1 }, new long[] { 2, 4 });   // 25 (a <mask>-like id) > 19 (lang code)
        var mask = ids.ne(1).to(ScalarType.Int64);
        manual_seed(3);
        var lastNonPad = new TextClip(options, TextPooling.LastNonPad);
        lastNonPad.eval();
        var (pooled, hidden) = lastNonPad.Forward(ids, mask);
        Assert.True(pooled[0].allclose(hidden[0, 3]));
        Assert.True(pooled[1].allclose(hidden[1, 2]));

        var argmax = new TextClip(options, TextPooling.ArgmaxId);
        argmax.eval();
        var (pooledArgmax, hiddenArgmax) = argmax.Forward(ids, mask);
        Assert.True(pooledArgmax[0].allclose(hiddenArgmax[0, 1]));
    }

    [Fact]
    public void ClipKlLossEqualsMeanRowKlToSoftIdentity()
    {
        using var scope = NewDisposeScope();
        var logits = tensor(new double[] { 2.0, -1.0, 0.5, 0.0, 3.0, -2.0, 1.0, 1.0, 1.5 }, new long[] { 3, 3 });
        // By hand: P_r = softmax(10·e_r); KL(P_r || softmax(X_r)) averaged over rows.
        double expected = 0;
        var x = logits.data<double>().ToArray();
        for (var r = 0; r < 3; r++)
        {
            var p = Enumerable.Range(0, 3).Select(c => Math.Exp(c == r ? 10 : 0)).ToArray();
            var pz = p.Sum();
            var q = Enumerable.Range(0, 3).Select(c => Math.Exp(x[r * 3 + c])).ToArray();
            var qz = q.Sum();
            for (var c = 0; c < 3; c++)
                expected += p[c] / pz * (Math.Log(p[c] / pz) - Math.Log(q[c] / qz)) / 3;
        }
        Assert.Equal(expected, ClipKlLoss.KlToSoftIdentity(logits).item<double>(), 12);
        Assert.Equal(expected, ClipKlLoss.Compute(logits, logits).item<double>(), 12);
    }

    private static MBartOptions TinyMBart() => new()
    {
        VocabSize = 20, DModel = 16, EncoderLayers = 1, DecoderLayers = 1, EncoderAttentionHeads = 2, DecoderAttentionHeads = 2,
        EncoderFfnDim = 16, DecoderFfnDim = 16, MaxPositionEmbeddings = 32, ActivationFunction = "relu", ScaleEmbedding = true,
        TieWordEmbeddings = false,
    };

    private static VisualBackboneOptions TinyVisual() => new()
    {
        FrameEncoder = FrameEncoderKind.SmallCnn, FrameFeatureSize = 8, SmallCnnWidth = 4, TemporalHiddenSize = 16,
    };

    private static ModelOptions TinySlt() => new() { Visual = TinyVisual(), Mbart = TinyMBart() };
}
