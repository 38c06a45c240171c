using SignTranslate.Checkpoints;
using SignTranslate.Decoding;
using SignTranslate.Models;
using SignTranslate.Tests.Checkpoints.Pretrained;
using static TorchSharp.torch;

namespace SignTranslate.Tests.Models;

/// <summary>
/// Weight loading by name: a reference SLT <c>best_checkpoint.pth</c> (read through PyBridge) loads strictly and
/// reproduces the reference forward and generate outputs; the report lists missing / unexpected / mismatched keys;
/// safetensors round-trips.
/// </summary>
public class CheckpointLoadingTests
{
    // Everything the two reference-checkpoint tests check comes from the folder's own descriptions
    // (slt_checkpoint.json, vlp_checkpoint.json), so that they hold for any fixture folder of this format.
    private static string CheckpointFolder => ReferenceCheckpoints.Folder;

    [Fact]
    public void ReferenceSltCheckpointLoadsStrictlyAndReproducesItsOutputs()
    {
        using var scope = NewDisposeScope();
        var folder = CheckpointFolder;
        var description = ReferenceCheckpoints.Slt;
        var deviations = description.GetProperty("fp32_vs_fp64");
        var cases = SafeTensorsFile.Load(Path.Combine(folder, "slt_cases.safetensors"));
        var mbart = MBartOptions.FromConfigJson(Path.Combine(folder, "pretrain_models", "mytran", "config.json"));
        var model = new SltModel(new ModelOptions
        {
            Visual = VisualBackboneOptions.Faithful with { TemporalHiddenSize = mbart.DModel },
            Mbart = mbart,
        });
        var report = PyTorchCheckpointFile.LoadInto(model, Path.Combine(folder, "slt_best_checkpoint.pth"), "model", strict: true);
        Assert.Equal(ReferenceCheckpoints.StateKeys(description.GetProperty("model_state")).Order(StringComparer.Ordinal),
            report.Loaded.Order(StringComparer.Ordinal));
        model.eval();

        using (no_grad())
        {
            var lengths = cases["src.src_length_batch"];
            var output = model.Forward(cases["src.input_ids"], lengths, cases["src.attention_mask"], cases["tgt.input_ids"], cases["tgt.attention_mask"]);
            var (embeds, _) = model.Embed(SignInputs.Rgb(cases["src.input_ids"]), lengths);
            foreach (var (name, actual) in new[] { ("resnet_features", output.FrameFeatures), ("frames_feature", output.SignFeatures), ("logits", output.Logits), ("inputs_embeds", embeds) })
            {
                var (atol, rtol) = ReferenceCheckpoints.Tolerance(deviations, name);
                TensorAssert.Close(cases[name], actual, atol, rtol, name);
            }
        }

        // Every run the cases file holds is one the JSON describes, so none goes unchecked.
        var runs = ReferenceCheckpoints.GenerationRuns;
        Assert.NotEmpty(runs);
        Assert.Equal(runs.Select(r => $"gen.{r}.sequences").Order(StringComparer.Ordinal),
            cases.Keys.Where(k => k.StartsWith("gen.", StringComparison.Ordinal) && k.EndsWith(".sequences", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        foreach (var run in runs)
        {
            var result = model.Generate(cases["src.input_ids"], cases["src.src_length_batch"], cases["src.attention_mask"], ReferenceCheckpoints.GenerationOptionsOf(run));
            var sequences = tensor(result.Sequences.SelectMany(r => r).ToArray(), new long[] { result.Sequences.Length, result.Sequences[0].Length });
            TensorAssert.Equal(cases[$"gen.{run}.sequences"], sequences, run);
            var recorded = description.GetProperty("generate").GetProperty(run).GetProperty("sequences").EnumerateArray()
                .Select(row => row.EnumerateArray().Select(id => id.GetInt64()).ToArray()).ToArray();
            Assert.Equal(recorded, result.Sequences);
            if (cases.TryGetValue($"gen.{run}.sequences_scores", out var scores))
            {
                var (atol, rtol) = ReferenceCheckpoints.Tolerance(deviations, $"gen.{run}.sequences_scores");
                TensorAssert.Close(scores, tensor(result.SequenceScores!.Select(s => (float)s).ToArray()), atol, rtol, $"{run} scores");
            }
        }
    }

    [Fact]
    public void ReferenceVlpCheckpointLoadsStrictlyIncludingAliasedResNetViews()
    {
        using var scope = NewDisposeScope();
        var folder = CheckpointFolder;
        var description = ReferenceCheckpoints.Vlp;
        var models = Path.Combine(folder, "pretrain_models");
        var visualEncoder = MBartOptions.FromConfigJson(Path.Combine(models, "mytran", "config.json"));
        var model = new VlpModel(new ModelOptions
        {
            Visual = VisualBackboneOptions.Faithful with { TemporalHiddenSize = visualEncoder.DModel },
            VisualEncoder = visualEncoder,
            TextEncoder = MBartOptions.FromConfigJson(Path.Combine(models, "MBart_trimmed", "config.json")),
        });
        var checkpoint = Path.Combine(folder, "vlp_checkpoint.pth");
        var report = PyTorchCheckpointFile.LoadInto(model, checkpoint, "model", strict: true);
        Assert.Equal(ReferenceCheckpoints.StateKeys(description.GetProperty("model_state")).Order(StringComparer.Ordinal),
            report.Loaded.Order(StringComparer.Ordinal));

        // The text decoder was saved through its DistributedDataParallel wrapper, so every key carries "module.".
        const string ddp = "module.";
        var decoder = new VlpTextDecoder(visualEncoder);
        var decoderReport = PyTorchCheckpointFile.LoadInto(decoder, checkpoint, "text_decoder", strict: true, WeightLoader.StripPrefix(ddp));
        Assert.Equal(ReferenceCheckpoints.StateKeys(description.GetProperty("text_decoder_state")).Select(k => k[ddp.Length..]).Order(StringComparer.Ordinal),
            decoderReport.Loaded.Order(StringComparer.Ordinal));

        // logit_scale is the file's value, not SLRCLIP's initial log(1/0.07) (the fixture's training moved it).
        var logitScale = model.LogitScale.item<float>();
        Assert.Equal(ReferenceCheckpoints.StateDict("vlp_checkpoint.pth", "model")["logit_scale"].item<float>(), logitScale);
        Assert.NotEqual((float)Math.Log(1 / 0.07), logitScale);

        // The ResNet conv weights are views into one storage at the offsets vlp_checkpoint.json → resnet_conv_aliasing
        // lists ("<entry>:<key>" → offset). Each loaded tensor must hold exactly its element range of the stored bytes.
        var aliasing = description.GetProperty("resnet_conv_aliasing");
        var modelState = model.state_dict();
        var decoderState = decoder.state_dict();
        var views = aliasing.GetProperty("storage_offsets").EnumerateObject().Select(entry =>
        {
            var (part, key) = (entry.Name[..entry.Name.IndexOf(':')], entry.Name[(entry.Name.IndexOf(':') + 1)..]);
            var loaded = part switch
            {
                "model" => modelState[key],
                "text_decoder" => decoderState[key[ddp.Length..]],
                _ => throw new InvalidDataException($"resnet_conv_aliasing names an unknown checkpoint entry: {entry.Name}"),
            };
            return (Name: entry.Name, Offset: entry.Value.GetInt64(), Values: loaded.flatten());
        }).OrderBy(v => v.Offset).ToList();
        Assert.True(views.Count >= 2, "resnet_conv_aliasing lists fewer than two views");

        var storage = StoredFloats(checkpoint, description.GetProperty("zip_root").GetString()!, aliasing.GetProperty("storage_key").GetString()!);
        Assert.Equal(aliasing.GetProperty("storage_numel").GetInt64(), storage.shape[0]);
        foreach (var (name, offset, values) in views)
        {
            Assert.InRange(offset + values.shape[0], 1, storage.shape[0]);
            Assert.True(values.eq(storage.narrow(0, offset, values.shape[0])).all().item<bool>(), $"{name} is not its storage range");
        }

        // Pairwise: where two views overlap in the storage, both tensors show the same elements; views that start at
        // different offsets are different tensors (a loader that ignored offsets would make them start alike).
        var overlapping = 0;
        for (var i = 0; i < views.Count; i++)
            for (var j = i + 1; j < views.Count; j++)
            {
                var (low, high) = (views[i], views[j]);   // low.Offset <= high.Offset
                var shift = high.Offset - low.Offset;
                var shared = Math.Min(low.Offset + low.Values.shape[0], high.Offset + high.Values.shape[0]) - high.Offset;
                if (shared > 0)
                {
                    overlapping++;
                    Assert.True(low.Values.narrow(0, shift, shared).eq(high.Values.narrow(0, 0, shared)).all().item<bool>(),
                        $"{high.Name} does not continue {low.Name} {shift} elements in");
                }
                if (shift > 0)
                {
                    var common = Math.Min(low.Values.shape[0], high.Values.shape[0]);
                    Assert.False(low.Values.narrow(0, 0, common).eq(high.Values.narrow(0, 0, common)).all().item<bool>(), $"{low.Name} and {high.Name} start alike");
                }
            }
        Assert.True(overlapping > 0, "resnet_conv_aliasing describes no overlapping views, so nothing about aliasing was checked");
    }

    // The raw little-endian float32 elements of storage <key> of a torch.save zip (entry <root>/data/<key>), read
    // without the unpickler, as an independent account of what each view must contain.
    private static Tensor StoredFloats(string path, string root, string key)
    {
        using var archive = System.IO.Compression.ZipFile.OpenRead(path);
        var entry = archive.GetEntry($"{root}/data/{key}") ?? throw new InvalidDataException($"{path}: no storage entry {root}/data/{key}");
        using var stream = entry.Open();
        var bytes = new byte[entry.Length];
        stream.ReadExactly(bytes);
        Assert.True(BitConverter.IsLittleEndian, "the storage bytes are little-endian");
        return tensor(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes).ToArray());
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
