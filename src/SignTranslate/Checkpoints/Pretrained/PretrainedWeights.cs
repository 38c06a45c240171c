using Serilog;
using SignTranslate.Models;
using static TorchSharp.torch;

namespace SignTranslate.Checkpoints.Pretrained;

/// <summary>
/// The <c>model.visual.backbone_weights</c> and <c>model.mbart_weights</c> settings: pretrained weights loaded into a
/// freshly built model, as the reference builds its models (docs/reference.md#s4.1, docs/reference.md#s4.4,
/// docs/reference.md#s4.7). Paths are resolved by the caller. Every load is logged with its report; a file that does
/// not fit the model (shape mismatch, no matching key) is an <see cref="InputException"/>.
/// </summary>
public static class PretrainedWeights
{
    /// <summary>torchvision keys that the reference drops by replacing <c>fc</c> with identity.</summary>
    private static readonly string[] ClassifierKeys = ["fc.weight", "fc.bias"];

    /// <summary>Prefixes under which a ResNet-18 state dict may sit (our and the reference's checkpoints, DDP).</summary>
    private static readonly string[] BackbonePrefixes = ["backbone.conv_2d.resnet.", "model_images.model.conv_2d.resnet.", "conv_2d.resnet.", "resnet.", "module."];

    /// <summary>Applies both settings of <paramref name="options"/> that are set to a freshly built SLT model.</summary>
    public static void Apply(SltModel model, ModelOptions options, Func<string, string> resolvePath)
    {
        if (options.Visual.BackboneWeights.Length > 0)
            LoadBackbone(model.Backbone.FrameEncoder, resolvePath(options.Visual.BackboneWeights));
        if (options.MbartWeights.Length > 0)
            ApplyMBart(model, resolvePath(options.MbartWeights));
    }

    /// <summary>Applies both settings to a freshly built VLP model and (when given) its masked-text decoder.</summary>
    public static void Apply(VlpModel model, VlpTextDecoder? textDecoder, ModelOptions options, Func<string, string> resolvePath)
    {
        if (options.Visual.BackboneWeights.Length > 0)
            LoadBackbone(model.Image.Backbone.FrameEncoder, resolvePath(options.Visual.BackboneWeights));
        if (options.MbartWeights.Length > 0)
        {
            // Read once for both modules: a trimmed mBART-large file is over a gigabyte.
            var folder = resolvePath(options.MbartWeights);
            var weights = ReadMBartWeights(folder);
            try
            {
                LoadTextEncoder(model, weights, folder);
                if (textDecoder is not null) LoadTextDecoderTable(textDecoder, weights, folder);
            }
            finally
            {
                DisposeAll(weights);
            }
        }
    }

    /// <summary>
    /// Loads a torchvision ResNet-18 state dict (<c>.pth</c> or <c>.safetensors</c>, e.g. the ImageNet weights) into
    /// the frame encoder. <c>fc.*</c> is ignored (the reference replaces it by identity); known prefixes are stripped.
    /// Every ResNet key must be present: a partial backbone is an error.
    /// </summary>
    public static WeightLoadReport LoadBackbone(VideoFrameEncoder frameEncoder, string path)
    {
        if (frameEncoder.FrameNetwork is not ResNet18 resnet)
            throw new InputException($"{path}: model.visual.backbone_weights needs frame_encoder resnet18");
        var source = StateDictFile.Load(path);
        var prefix = source.ContainsKey("conv1.weight") ? null : BackbonePrefixes.FirstOrDefault(p => source.ContainsKey(p + "conv1.weight"));
        var ignored = source.Keys.Where(k => ClassifierKeys.Contains(prefix is null ? k : k.StartsWith(prefix, StringComparison.Ordinal) ? k[prefix.Length..] : k)).ToList();
        var report = WeightLoader.Load(resnet, source, strict: false,
            key => Rename(key, prefix) is { } name && !ClassifierKeys.Contains(name) ? name : null, path, warnIfIncomplete: false);
        DisposeAll(source);
        if (report.Missing.Count > 0 || report.ShapeMismatched.Count > 0)
            throw new InputException($"{path}: not a ResNet-18 state dict for the frame encoder ({report.Describe(3).ReplaceLineEndings("; ")})");
        Log.Information("Backbone weights {Path}: {Summary}{Ignored}", path, report.Describe(5),
            ignored.Count > 0 ? $" (ignored {string.Join(", ", ignored)}: the classifier is replaced by identity)" : "");
        return report;
    }

    /// <summary>
    /// SLT model from <c>slt import mbart</c> weights, as the reference finetuning does (docs/reference.md#s4.7, last
    /// bullet): the decoder's token table (tied to the shared and encoder tables) and position table.
    /// </summary>
    public static WeightLoadReport ApplyMBart(SltModel model, string mbartFolder) =>
        WithMBartWeights(mbartFolder, weights => LoadDecoderTables(model, weights, mbartFolder));

    /// <summary>VLP text encoder (<c>model_txt</c>) from the mBART encoder, as the reference's <c>TextCLIP</c> builds it.</summary>
    public static WeightLoadReport ApplyMBart(VlpModel model, string mbartFolder) =>
        WithMBartWeights(mbartFolder, weights => LoadTextEncoder(model, weights, mbartFolder));

    /// <summary>
    /// VLP masked-text decoder: its token table from the mBART decoder table (the reference's mytran weights carry
    /// the trimmed mBART embedding; its layers stay random).
    /// </summary>
    public static WeightLoadReport ApplyMBart(VlpTextDecoder decoder, string mbartFolder) =>
        WithMBartWeights(mbartFolder, weights => LoadTextDecoderTable(decoder, weights, mbartFolder));

    private static WeightLoadReport WithMBartWeights(string mbartFolder, Func<Dictionary<string, Tensor>, WeightLoadReport> load)
    {
        var weights = ReadMBartWeights(mbartFolder);
        try
        {
            return load(weights);
        }
        finally
        {
            DisposeAll(weights);
        }
    }

    private static WeightLoadReport LoadDecoderTables(SltModel model, Dictionary<string, Tensor> weights, string mbartFolder)
    {
        var tables = weights.Where(kv => kv.Key is "model.decoder.embed_tokens.weight" or "model.decoder.embed_positions.weight")
            .ToDictionary(kv => "mbart." + kv.Key, kv => kv.Value);
        return LoadPart(model, tables, mbartFolder, expected: 2, "SLT decoder token and position tables");
    }

    private static WeightLoadReport LoadTextEncoder(VlpModel model, Dictionary<string, Tensor> weights, string mbartFolder)
    {
        var encoder = weights.Where(kv => kv.Key.StartsWith("model.encoder.", StringComparison.Ordinal))
            .ToDictionary(kv => "model_txt.model_txt." + kv.Key["model.encoder.".Length..], kv => kv.Value);
        var expected = model.Text.Encoder.state_dict().Count;
        return LoadPart(model, encoder, mbartFolder, expected, "VLP text encoder");
    }

    private static WeightLoadReport LoadTextDecoderTable(VlpTextDecoder decoder, Dictionary<string, Tensor> weights, string mbartFolder)
    {
        var tables = weights.Where(kv => kv.Key == "model.decoder.embed_tokens.weight")
            .ToDictionary(kv => "text_decoder.embed_tokens.weight", kv => kv.Value);
        return LoadPart(decoder, tables, mbartFolder, expected: 1, "VLP text decoder token table");
    }

    /// <summary>
    /// The HF-named weights of an mBART model folder (<c>model.safetensors</c> or <c>pytorch_model.bin</c>, as written
    /// by <c>slt import mbart</c> or Hugging Face), or of a weights file given directly.
    /// </summary>
    public static Dictionary<string, Tensor> ReadMBartWeights(string folderOrFile)
    {
        if (File.Exists(folderOrFile)) return WithTiedTokenTables(StateDictFile.Load(folderOrFile));
        if (!Directory.Exists(folderOrFile))
            throw new InputException($"{folderOrFile}: mBART weights folder not found");
        foreach (var name in new[] { "model.safetensors", "pytorch_model.bin" })
        {
            var path = Path.Combine(folderOrFile, name);
            if (File.Exists(path)) return WithTiedTokenTables(StateDictFile.Load(path));
        }
        throw new InputException($"{folderOrFile}: no model.safetensors or pytorch_model.bin in the mBART folder");
    }

    /// <summary>
    /// HF's MBartModel always shares one token table between <c>shared</c>, the encoder and the decoder, and
    /// Hugging Face may save it once (tied keys are dropped from safetensors files); the missing names are filled in.
    /// </summary>
    private static Dictionary<string, Tensor> WithTiedTokenTables(Dictionary<string, Tensor> weights)
    {
        if (weights.TryGetValue("model.shared.weight", out var shared))
            foreach (var key in new[] { "model.encoder.embed_tokens.weight", "model.decoder.embed_tokens.weight" })
                weights.TryAdd(key, shared);
        return weights;
    }

    private static WeightLoadReport LoadPart(TorchSharp.torch.nn.Module model, Dictionary<string, Tensor> part, string source, int expected, string what)
    {
        var report = WeightLoader.Load(model, part, strict: false, sourceName: source, warnIfIncomplete: false);
        if (report.ShapeMismatched.Count > 0 || report.Loaded.Count < expected || report.Unexpected.Count > 0)
            throw new InputException($"{source}: the mBART weights do not fit the {what} (loaded {report.Loaded.Count} of {expected}; "
                + string.Join("; ", report.ShapeMismatched.Select(m => m.ToString()).Concat(report.Unexpected.Take(3).Select(u => "unexpected " + u))) + ")");
        Log.Information("mBART weights {Source} → {What}: loaded {Count} tensors", source, what, report.Loaded.Count);
        return report;
    }

    private static string? Rename(string key, string? prefix) =>
        prefix is null ? key : key.StartsWith(prefix, StringComparison.Ordinal) ? key[prefix.Length..] : null;

    private static void DisposeAll(Dictionary<string, Tensor> tensors)
    {
        foreach (var t in tensors.Values) t.Dispose();
    }
}
