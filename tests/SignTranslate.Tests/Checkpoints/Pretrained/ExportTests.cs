using SignTranslate.Checkpoints;
using SignTranslate.Checkpoints.Pretrained;
using SignTranslate.Cli;
using SignTranslate.Models;
using SignTranslate.Tests.Cli;
using static TorchSharp.torch;

namespace SignTranslate.Tests.Checkpoints.Pretrained;

/// <summary><c>slt export</c> of imported reference checkpoints, and the ResNet-18 round trip through <c>backbone_weights</c>.</summary>
[Collection(ImportedCheckpointCollection.Name)]
public class ExportTests(ImportedCheckpointFixture imported)
{
    private const string ResNetPrefix = "backbone.conv_2d.resnet.";   // the SLT model's ResNet-18 (checkpoints README)

    [Fact]
    public void BackbonePthWrittenByExportLoadsBackWithNothingMissingOrUnexpectedAndIdenticalOutputs()
    {
        Assert.True(imported.SltImport.ExitCode == ExitCodes.Success, imported.SltImport.Stderr);
        var path = Path.Combine(imported.Root, "resnet18.pth");
        var result = CliRunner.Run("export", "--checkpoint", imported.SltFolder, "--format", "pytorch", "--part", "backbone", "--out", path);
        Assert.True(result.ExitCode == ExitCodes.Success, result.Stderr);
        // The backbone is every ResNet tensor slt_checkpoint.json lists, under its torchvision name.
        var backbone = ReferenceCheckpoints.StateKeys(ReferenceCheckpoints.Slt.GetProperty("model_state"))
            .Where(k => k.StartsWith(ResNetPrefix, StringComparison.Ordinal)).Select(k => k[ResNetPrefix.Length..]).ToList();
        Assert.Contains($"Wrote {backbone.Count} tensors", result.Stdout);

        using var scope = NewDisposeScope();
        var fresh = new SltModel(ReferenceCheckpoints.SltOptions());
        var report = PretrainedWeights.LoadBackbone(fresh.Backbone.FrameEncoder, path);
        Assert.Equal(backbone.Order(StringComparer.Ordinal), report.Loaded.Order(StringComparer.Ordinal));
        Assert.Empty(report.Missing);
        Assert.Empty(report.Unexpected);

        var frames = ReferenceCheckpoints.StateDict("slt_cases.safetensors")["src.input_ids"];
        fresh.eval();
        using var noGrad = no_grad();
        var expected = imported.Slt!.Backbone.FrameEncoder.FrameNetwork.call(frames);
        var actual = fresh.Backbone.FrameEncoder.FrameNetwork.call(frames);
        Assert.True(expected.eq(actual).all().item<bool>(), "ResNet-18 outputs differ after the round trip");
    }

    [Fact]
    public void BackboneWeightsSettingIgnoresTheImageNetClassifierAndAppliesThroughTheConfig()
    {
        using var scope = NewDisposeScope();
        var source = new SltModel(ReferenceCheckpoints.SltOptions());
        var torchvision = CheckpointExport.Backbone(source.state_dict(), "test");
        torchvision["fc.weight"] = randn(1000, 512);   // torchvision's ImageNet-1k classifier on the 512-d features
        torchvision["fc.bias"] = randn(1000);
        var path = Path.Combine(imported.Root, "imagenet-like.safetensors");
        SafeTensorsFile.Save(path, torchvision);

        var target = new SltModel(ReferenceCheckpoints.SltOptions());
        var options = new ModelOptions { Visual = ReferenceCheckpoints.SltOptions().Visual with { BackboneWeights = "imagenet-like.safetensors" } };
        PretrainedWeights.Apply(target, options, relative => Path.Combine(imported.Root, relative));
        var loaded = target.state_dict();
        foreach (var (key, value) in source.state_dict().Where(kv => kv.Key.StartsWith("backbone.conv_2d.", StringComparison.Ordinal)))
            Assert.True(value.eq(loaded[key]).all().item<bool>(), key);
        Assert.False(source.state_dict()["sign_emb.src_emb.weight"].eq(loaded["sign_emb.src_emb.weight"]).all().item<bool>());
    }

    [Fact]
    public void BackboneFileMissingKeysIsAnInputError()
    {
        using var scope = NewDisposeScope();
        var path = Path.Combine(imported.Root, "partial.safetensors");
        SafeTensorsFile.Save(path, [KeyValuePair.Create("conv1.weight", zeros(64, 3, 7, 7))]);   // ResNet-18's stem
        var model = new SltModel(ReferenceCheckpoints.SltOptions());
        var error = Assert.Throws<InputException>(() => PretrainedWeights.LoadBackbone(model.Backbone.FrameEncoder, path));
        // torchvision's ResNet-18 (fc removed) has 120 state tensors in any checkpoint of this structure; the file gives one.
        Assert.Contains("missing 119", error.Message);
    }

    [Theory]
    [InlineData("pytorch")]
    [InlineData("safetensors")]
    public void WholeSltCheckpointExportHoldsTheWeightsUnderTheReferenceNames(string format)
    {
        Assert.True(imported.SltImport.ExitCode == ExitCodes.Success, imported.SltImport.Stderr);
        var path = Path.Combine(imported.Root, "slt." + format);
        var result = CliRunner.Run("export", "--checkpoint", imported.SltFolder, "--format", format, "--out", path);
        Assert.True(result.ExitCode == ExitCodes.Success, result.Stderr);

        using var scope = NewDisposeScope();
        var exported = format == "pytorch" ? PyTorchCheckpointFile.LoadStateDict(path, "model") : SafeTensorsFile.Load(path);
        var reference = ReferenceCheckpoints.StateDict("slt_best_checkpoint.pth", "model");
        Assert.Equal(reference.Keys.Order(StringComparer.Ordinal), exported.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, value) in reference)
            Assert.True(value.dtype == exported[key].dtype && value.eq(exported[key]).all().item<bool>(), key);
    }

    [Fact]
    public void VlpCheckpointExportsAsTheReferenceModelAndTextDecoderDicts()
    {
        Assert.True(imported.VlpImport.ExitCode == ExitCodes.Success, imported.VlpImport.Stderr);
        var path = Path.Combine(imported.Root, "vlp.pth");
        Assert.Equal(ExitCodes.Success, CliRunner.Run("export", "--checkpoint", imported.VlpFolder, "--format", "pytorch", "--out", path).ExitCode);
        using var scope = NewDisposeScope();
        var dicts = PyTorchCheckpointFile.LoadStateDicts(path);
        Assert.Equal(["model", "text_decoder"], dicts.Keys.Order(StringComparer.Ordinal));
        foreach (var entry in new[] { "model", "text_decoder" })
        {
            var reference = ReferenceCheckpoints.StateDict("vlp_checkpoint.pth", entry);
            Assert.Equal(reference.Count, dicts[entry].Count);
            foreach (var (key, value) in reference)
                Assert.True(value.eq(dicts[entry][key]).all().item<bool>(), $"{entry}/{key}");
        }
    }

    [Fact]
    public void ExportOfAFolderThatIsNotACheckpointIsAnInputError()
    {
        var result = CliRunner.Run("export", "--checkpoint", imported.Root, "--format", "pytorch", "--out", Path.Combine(imported.Root, "x.pth"));
        Assert.Equal(ExitCodes.InputError, result.ExitCode);
        Assert.Contains("meta.json", result.Stderr);
    }
}
