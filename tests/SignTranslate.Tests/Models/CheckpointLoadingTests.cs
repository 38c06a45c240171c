using SignTranslate.Decoding;
using SignTranslate.Models;
using SignTranslate.Models.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace SignTranslate.Tests.Models;

/// <summary>
/// Weight loading by name: a reference SLT <c>best_checkpoint.pth</c> (read through PyBridge) loads strictly and
/// reproduces the reference forward and generate outputs; the report lists missing / unexpected / mismatched keys;
/// safetensors round-trips.
/// </summary>
public class CheckpointLoadingTests
{
    private const double Tolerance = 1e-4;   // slt_checkpoint.json's fp32_vs_fp64 atol/rtol for every float output

    private static string CheckpointFolder => TestFixtures.Folder("checkpoints", "SLT_CHECKPOINT_VECTORS");

    [Fact]
    public void ReferenceSltCheckpointLoadsStrictlyAndReproducesItsOutputs()
    {
        using var scope = NewDisposeScope();
        var folder = CheckpointFolder;
        var cases = SafeTensorsFile.Load(Path.Combine(folder, "slt_cases.safetensors"));
        var mbart = MBartOptions.FromConfigJson(Path.Combine(folder, "pretrain_models", "mytran", "config.json"));
        var model = new SltModel(new SltModelOptions
        {
            Visual = VisualBackboneOptions.Faithful with { TemporalHiddenSize = mbart.DModel },
            MBart = mbart,
        });
        var report = PyTorchCheckpointFile.LoadInto(model, Path.Combine(folder, "slt_best_checkpoint.pth"), "model", strict: true);
        Assert.Equal(240, report.Loaded.Count);
        model.eval();

        using (no_grad())
        {
            var lengths = cases["src.src_length_batch"];
            var output = model.Forward(cases["src.input_ids"], lengths, cases["src.attention_mask"], cases["tgt.input_ids"], cases["tgt.attention_mask"]);
            TensorAssert.Close(cases["resnet_features"], output.FrameFeatures, Tolerance, Tolerance, "resnet_features");
            TensorAssert.Close(cases["frames_feature"], output.SignFeatures, Tolerance, Tolerance, "frames_feature");
            TensorAssert.Close(cases["logits"], output.Logits, Tolerance, Tolerance, "logits");
            var (embeds, _) = model.Embed(cases["src.input_ids"], lengths);
            TensorAssert.Close(cases["inputs_embeds"], embeds, Tolerance, Tolerance, "inputs_embeds");
        }

        foreach (var (run, beams, maxNew) in new[] { ("beam", 4, 150), ("greedy", 1, 150), ("beam_max4", 4, 4), ("greedy_max4", 1, 4) })
        {
            var result = model.Generate(cases["src.input_ids"], cases["src.src_length_batch"], cases["src.attention_mask"],
                new GenerationOptions { DecoderStartTokenId = 57, NumBeams = beams, MaxNewTokens = maxNew });
            TensorAssert.Equal(cases[$"gen.{run}.sequences"], tensor(result.Sequences.SelectMany(r => r).ToArray(), new long[] { result.Sequences.Length, result.Sequences[0].Length }), run);
            if (cases.TryGetValue($"gen.{run}.sequences_scores", out var scores))
                TensorAssert.Close(scores, tensor(result.SequenceScores!.Select(s => (float)s).ToArray()), 1e-5, 0, $"{run} scores");
        }
    }

    [Fact]
    public void ReferenceVlpCheckpointLoadsStrictlyIncludingAliasedResNetViews()
    {
        using var scope = NewDisposeScope();
        var folder = CheckpointFolder;
        var models = Path.Combine(folder, "pretrain_models");
        var visualEncoder = MBartOptions.FromConfigJson(Path.Combine(models, "mytran", "config.json"));
        var model = new VlpModel(new VlpModelOptions
        {
            Visual = VisualBackboneOptions.Faithful with { TemporalHiddenSize = visualEncoder.DModel },
            VisualEncoder = visualEncoder,
            TextEncoder = MBartOptions.FromConfigJson(Path.Combine(models, "MBart_trimmed", "config.json")),
        });
        var checkpoint = Path.Combine(folder, "vlp_checkpoint.pth");
        Assert.Equal(213, PyTorchCheckpointFile.LoadInto(model, checkpoint, "model", strict: true).Loaded.Count);

        var decoder = new VlpTextDecoder(visualEncoder);
        var report = PyTorchCheckpointFile.LoadInto(decoder, checkpoint, "text_decoder", strict: true, WeightLoader.StripPrefix("module."));
        Assert.Equal(60, report.Loaded.Count);

        // The ResNet conv weights are views into one storage (vlp_checkpoint.json → resnet_conv_aliasing): layer4.0.conv2
        // starts at offset 329 and layer4.1.conv1 at 1238, so the second begins 909 elements into the first.
        var state = model.state_dict();
        var first = state["model_images.model.conv_2d.resnet.layer4.0.conv2.weight"].flatten();
        var second = state["model_images.model.conv_2d.resnet.layer4.1.conv1.weight"].flatten();
        Assert.True(first[909..2000].eq(second[..1091]).all().item<bool>());
        Assert.False(first[..1000].eq(second[..1000]).all().item<bool>());
        Assert.NotEqual(Math.Log(1 / 0.07), model.LogitScale.item<float>(), 3);
    }

    [Fact]
    public void HfPytorchModelBinReadsTheSameThroughOurReaderAndPyBridge()
    {
        using var scope = NewDisposeScope();
        var path = Path.Combine(CheckpointFolder, "pretrain_models", "mytran", "pytorch_model.bin");
        var ours = PyTorchCheckpointFile.LoadStateDict(path);
        var theirs = TorchSharp.PyBridge.PyTorchUnpickler.UnpickleStateDict(path);
        Assert.Equal(theirs.Count, ours.Count);
        foreach (var (key, tensor) in ours)
            Assert.True(tensor.eq((Tensor)theirs[key]!).all().item<bool>(), key);
        Assert.Contains("model.decoder.embed_tokens.weight", ours.Keys);
    }

    [Fact]
    public void ReportListsMissingUnexpectedAndMismatchedKeysAndStrictModeThrows()
    {
        using var scope = NewDisposeScope();
        var model = new TemporalConv(4, 6);
        var source = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());
        source.Remove("temporal_conv.1.running_var");
        source["temporal_conv.4.weight"] = zeros(6, 6, 3);
        source["extra.weight"] = zeros(2);
        source["temporal_conv.0.bias"] = full(6, 0.5f);

        var report = WeightLoader.Load(model, source);
        Assert.Equal(["temporal_conv.1.running_var"], report.Missing);
        Assert.Equal(["extra.weight"], report.Unexpected);
        var mismatch = Assert.Single(report.ShapeMismatched);
        Assert.Equal("temporal_conv.4.weight", mismatch.Key);
        Assert.Equal(new long[] { 6, 6, 5 }, mismatch.Expected);
        Assert.Equal(new long[] { 6, 6, 3 }, mismatch.Found);
        Assert.Equal(model.state_dict().Count - 2, report.Loaded.Count);
        Assert.True(model.state_dict()["temporal_conv.0.bias"].allclose(full(6, 0.5f)));
        Assert.False(report.IsComplete);

        var error = Assert.Throws<WeightLoadException>(() => WeightLoader.Load(model, source, strict: true, sourceName: "test.safetensors"));
        Assert.Contains("test.safetensors", error.Message);
        Assert.Contains("missing 1, unexpected 1, shape-mismatched 1", error.Message);
        Assert.Contains("temporal_conv.4.weight: model [6,6,5], file [6,6,3]", error.Message);
    }

    [Fact]
    public void SafeTensorsRoundTripKeepsNamesDtypesShapesAndValues()
    {
        using var scope = NewDisposeScope();
        var path = Path.Combine(Path.GetTempPath(), $"slt-roundtrip-{Guid.NewGuid():N}.safetensors");
        try
        {
            var tensors = new Dictionary<string, Tensor>
            {
                ["a.weight"] = randn(3, 5),
                ["b.num_batches_tracked"] = tensor(7L),
                ["c.ids"] = tensor(new long[] { 1, -2, 3 }),
                ["d.double"] = tensor(new[] { 1.5, double.Epsilon }),
            };
            SafeTensorsFile.Save(path, tensors);
            var loaded = SafeTensorsFile.Load(path, out var metadata);
            Assert.Empty(metadata);
            Assert.Equal(tensors.Keys.Order(), loaded.Keys.Order());
            foreach (var (name, t) in tensors)
            {
                Assert.Equal(t.dtype, loaded[name].dtype);
                Assert.Equal(t.shape, loaded[name].shape);
                Assert.True(t.eq(loaded[name]).all().item<bool>(), name);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }
}
