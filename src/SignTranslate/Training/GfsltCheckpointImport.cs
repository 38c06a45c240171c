using Serilog;
using SignTranslate.Checkpoints;
using SignTranslate.Checkpoints.Pretrained;
using SignTranslate.Config;
using SignTranslate.Models;
using SignTranslate.Text;
using static TorchSharp.torch;

namespace SignTranslate.Training;

/// <summary>Which model a reference checkpoint holds.</summary>
public enum GfsltCheckpointStage
{
    /// <summary><c>gloss_free_model</c> of <c>train_slt.py</c> / <c>train_csl_SignCL.py</c>: becomes a <c>finetune</c> checkpoint.</summary>
    Slt,

    /// <summary><c>SLRCLIP</c> + <c>Text_Decoder</c> of <c>train_vlp_v2.py</c> / <c>train_vlp_SignCL.py</c>: becomes a <c>pretrain</c> checkpoint.</summary>
    Vlp,
}

/// <summary>A reference checkpoint turned into our form: the config it implies, the weights under our keys and the load reports.</summary>
public sealed record ImportedCheckpoint(GfsltCheckpointStage Stage, ExperimentConfig Config, IReadOnlyDictionary<string, Tensor> Weights,
    IReadOnlyList<(string Part, WeightLoadReport Report)> Reports);

/// <summary>
/// Converts checkpoints written by the original GFSLT-VLP / SignCL scripts (checkpoint layout: docs/reference.md#s4.7)
/// into SignTranslate checkpoint folders. Sizes are read from the tensor shapes; head counts, activation and dropouts
/// come from a given HF <c>config.json</c> or, without one, from the reference preset of the decoder type (mytran for
/// 3 decoder layers, LLMD for 12). The weights are loaded strictly into our model classes, so an import that
/// succeeds is known to load in <c>slt eval</c>, <c>slt translate</c> and <c>finetune --init</c>.
/// </summary>
public static class GfsltCheckpointImport
{
    private const string SltMBart = "mbart.model.";
    private const string VlpVisualEncoder = "model_images.trans_encoder.";
    private const string VlpTextEncoder = "model_txt.model_txt.";
    private const string VlpTextDecoder = VlpToSltTransfer.TextDecoderPrefix + "text_decoder.";

    /// <summary>
    /// Reads and converts a reference <c>.pth</c>. <paramref name="stage"/> null: detected from the keys.
    /// <paramref name="mbartConfig"/>: the config of the SLT mBART / the VLP visual encoder and text decoder (mytran,
    /// LLMD); <paramref name="textEncoderConfig"/>: the config of the VLP text encoder (MBart_trimmed). Null: the
    /// reference presets.
    /// </summary>
    public static ImportedCheckpoint Read(string path, GfsltCheckpointStage? stage = null, MBartOptions? mbartConfig = null, MBartOptions? textEncoderConfig = null)
    {
        if (!File.Exists(path)) throw new InputException($"{path}: checkpoint file not found");
        Dictionary<string, Dictionary<string, Tensor>> dicts;
        try
        {
            dicts = PyTorchCheckpointFile.LoadStateDicts(path);
        }
        catch (InvalidDataException e)
        {
            throw new InputException(e.Message, e);
        }
        if (!dicts.TryGetValue("model", out var model))
            throw new InputException($"{path}: no 'model' state dict (entries: {string.Join(", ", dicts.Keys.Select(k => k.Length == 0 ? "(top-level tensors)" : k))}); expected a checkpoint of the GFSLT-VLP or SignCL scripts");
        var detected = model.Keys.Any(k => k.StartsWith(SltMBart, StringComparison.Ordinal)) ? GfsltCheckpointStage.Slt
            : model.Keys.Any(k => k.StartsWith(VlpVisualEncoder, StringComparison.Ordinal)) ? GfsltCheckpointStage.Vlp
            : throw new InputException($"{path}: the 'model' keys are neither an SLT (mbart.*) nor a VLP (model_images.*) model");
        if (stage is { } wanted && wanted != detected)
            throw new InputException($"{path}: --stage {wanted.ToString().ToLowerInvariant()} given, but the file holds a {detected.ToString().ToLowerInvariant()} model");
        return detected == GfsltCheckpointStage.Slt
            ? ReadSlt(path, model, mbartConfig)
            : ReadVlp(path, model, dicts.GetValueOrDefault("text_decoder"), mbartConfig, textEncoderConfig);
    }

    /// <summary>Writes the imported checkpoint as a folder (<see cref="CheckpointStore"/> layout).</summary>
    public static void Write(ImportedCheckpoint imported, string folder, ITextTokenizer? tokenizer, string sourcePath)
    {
        var vocab = imported.Stage == GfsltCheckpointStage.Slt ? imported.Config.Model.Mbart.VocabSize : imported.Config.Model.TextEncoder.VocabSize;
        if (tokenizer is not null && tokenizer.VocabularySize != vocab)
            throw new InputException($"the tokenizer has {tokenizer.VocabularySize} ids but the checkpoint's vocabulary has {vocab}: use the tokenizer the model was trained with");
        var metadata = new CheckpointMetadata
        {
            Stage = imported.Stage == GfsltCheckpointStage.Slt ? "finetune" : "pretrain",
            ConfigYaml = ConfigWriter.ToYaml(imported.Config),
            Metrics = new Dictionary<string, double>(),
        };
        CheckpointStore.Save(folder, imported.Weights, metadata, tokenizer: tokenizer);
        Log.Information("Imported {Source} as a {Stage} checkpoint in {Folder}", sourcePath, metadata.Stage, folder);
    }

    private static ImportedCheckpoint ReadSlt(string path, Dictionary<string, Tensor> state, MBartOptions? mbartConfig)
    {
        var decoderLayers = ReferenceMBartShapes.LayerCount(state, SltMBart + "decoder.");
        var preset = mbartConfig ?? (decoderLayers >= 12 ? MBartOptions.Llmd() : MBartOptions.Mytran());
        var mbart = ReferenceMBartShapes.Infer(state, SltMBart + "encoder.", SltMBart + "decoder.", preset);
        if (state.TryGetValue("mbart.lm_head.weight", out var head) && state.TryGetValue(SltMBart + "shared.weight", out var shared))
            mbart = mbart with { TieWordEmbeddings = head.shape.SequenceEqual(shared.shape) && head.eq(shared).all().item<bool>() };
        var model = new ModelOptions
        {
            Visual = VisualOf(state, "backbone."),
            Mbart = mbart,
            VisualEncoder = CompanionEncoder(MBartOptions.Mytran(), mbart),
            TextEncoder = CompanionEncoder(MBartOptions.MBartTrimmed(), mbart),
        };
        var config = Validated(path, model);
        using var slt = new SltModel(config.Model.WithVocabulary(mbart.VocabSize));
        var report = StrictLoad(path, slt, state, "model");
        return new ImportedCheckpoint(GfsltCheckpointStage.Slt, config, CopyOf(slt), [("model", report)]);
    }

    private static ImportedCheckpoint ReadVlp(string path, Dictionary<string, Tensor> state, Dictionary<string, Tensor>? textDecoder,
        MBartOptions? mbartConfig, MBartOptions? textEncoderConfig)
    {
        // A decoder saved without its DDP wrapper lacks the prefix that our pretraining checkpoints use.
        textDecoder = textDecoder?.ToDictionary(
            kv => kv.Key.StartsWith(VlpToSltTransfer.TextDecoderPrefix, StringComparison.Ordinal) ? kv.Key : VlpToSltTransfer.TextDecoderPrefix + kv.Key,
            kv => kv.Value);
        var visualEncoder = ReferenceMBartShapes.Infer(state, VlpVisualEncoder, null, mbartConfig ?? MBartOptions.Mytran());
        if (textDecoder is not null)
            visualEncoder = ReferenceMBartShapes.WithDecoder(textDecoder, VlpTextDecoder, visualEncoder);
        var textEncoder = ReferenceMBartShapes.Infer(state, VlpTextEncoder, null, textEncoderConfig ?? CompanionEncoder(MBartOptions.MBartTrimmed(), visualEncoder));
        var model = new ModelOptions
        {
            Visual = VisualOf(state, "model_images.model."),
            Mbart = visualEncoder,
            VisualEncoder = visualEncoder,
            TextEncoder = textEncoder,
            TextPooling = TextPooling.ArgmaxId,
        };
        var config = Validated(path, model);
        var vocab = textEncoder.VocabSize;
        using var vlp = new VlpModel(config.Model.WithVocabulary(vocab));
        var reports = new List<(string, WeightLoadReport)> { ("model", StrictLoad(path, vlp, state, "model")) };
        var weights = CopyOf(vlp);
        if (textDecoder is null)
        {
            Log.Warning("{Path}: no text_decoder entry (the older train_vlp.py); the checkpoint holds the VLP model only", path);
        }
        else
        {
            using var decoder = new VlpTextDecoder(config.Model.VisualEncoder with { VocabSize = vocab });
            reports.Add(("text_decoder", StrictLoad(path, decoder, textDecoder, "text_decoder", WeightLoader.StripPrefix(VlpToSltTransfer.TextDecoderPrefix))));
            foreach (var (key, value) in CopyOf(decoder))
                weights[VlpToSltTransfer.TextDecoderPrefix + key] = value;
        }
        return new ImportedCheckpoint(GfsltCheckpointStage.Vlp, config, weights, reports);
    }

    private static VisualBackboneOptions VisualOf(IReadOnlyDictionary<string, Tensor> state, string prefix)
    {
        var conv = ReferenceMBartShapes.Shape(state, prefix + "conv_1d.temporal_conv.0.weight");   // [H, F, 5]
        if (!state.ContainsKey(prefix + "conv_2d.resnet.conv1.weight"))
            throw new InputException($"the checkpoint has no ResNet-18 under '{prefix}conv_2d.resnet.' (not the reference layout)");
        // Reference behaviour (features padded with 1.0, BN statistics over padding), so outputs match the authors' code.
        return VisualBackboneOptions.Faithful with { FrameFeatureSize = (int)conv[1], TemporalHiddenSize = (int)conv[0] };
    }

    // The VLP-side encoders of the config must share the SLT width (ModelOptions.Validate); heads are kept only if they fit.
    private static MBartOptions CompanionEncoder(MBartOptions preset, MBartOptions like) => preset with
    {
        DModel = like.DModel,
        VocabSize = like.VocabSize,
        MaxPositionEmbeddings = like.MaxPositionEmbeddings,
        EncoderAttentionHeads = like.DModel % preset.EncoderAttentionHeads == 0 ? preset.EncoderAttentionHeads : like.EncoderAttentionHeads,
        DecoderAttentionHeads = like.DModel % preset.DecoderAttentionHeads == 0 ? preset.DecoderAttentionHeads : like.DecoderAttentionHeads,
    };

    private static ExperimentConfig Validated(string path, ModelOptions model)
    {
        var problems = model.Validate().ToList();
        if (problems.Count > 0)
            throw new InputException($"{path}: the implied model config is invalid ({string.Join("; ", problems.Select(p => p.ToString()))}); pass the model's config.json with --mbart-config");
        return ExperimentConfig.Defaults() with { Model = model };
    }

    private static WeightLoadReport StrictLoad(string path, TorchSharp.torch.nn.Module module, IReadOnlyDictionary<string, Tensor> state, string entry,
        Func<string, string?>? rename = null)
    {
        try
        {
            return WeightLoader.Load(module, state, strict: true, rename, $"{path} ['{entry}']");
        }
        catch (WeightLoadException e)
        {
            throw new InputException($"{e.Message.ReplaceLineEndings("; ")} (with non-default head counts pass the model's config.json with --mbart-config)", e);
        }
    }

    private static Dictionary<string, Tensor> CopyOf(TorchSharp.torch.nn.Module module) =>
        module.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());
}
