using Serilog;
using SignTranslate.Models;
using static TorchSharp.torch;

namespace SignTranslate.Checkpoints.Pretrained;

/// <summary>
/// The reference's <c>--finetune</c> load (docs/reference.md#s4.7): a VLP checkpoint's <c>model</c> dict (SLRCLIP) and
/// <c>text_decoder</c> dict (Text_Decoder, saved through DDP, so every key starts with <c>module.</c>) plus the token
/// and position tables of the mBART weights are renamed to SLT keys and loaded non-strictly. The renaming is the
/// reference's string rule, quirks included: two leading key components are dropped, later writes replace earlier
/// ones, and the tied token table ends up with the mBART decoder table.
/// </summary>
public static class VlpToSltTransfer
{
    /// <summary>Prefix under which our pretraining checkpoints store the text decoder (the reference's DDP prefix).</summary>
    public const string TextDecoderPrefix = "module.";

    /// <summary>
    /// The state dict the reference builds: one entry per SLT key, holding the last source the reference writes there.
    /// <paramref name="textDecoder"/> keys carry the <c>module.</c> prefix; <paramref name="mbartWeights"/> has HF
    /// names (<c>model.decoder.embed_tokens.weight</c>, …) and may be null to skip the table replacement.
    /// </summary>
    public static IReadOnlyList<TransferredWeight> Map(
        IReadOnlyDictionary<string, Tensor> vlpModel,
        IReadOnlyDictionary<string, Tensor>? textDecoder,
        IReadOnlyDictionary<string, Tensor>? mbartWeights,
        VlpTransferOptions options)
    {
        var order = new List<string>();
        var entries = new Dictionary<string, TransferredWeight>();
        void Put(string key, string source, Tensor value)
        {
            if (!entries.ContainsKey(key)) order.Add(key);
            entries[key] = new TransferredWeight(key, source, value);
        }

        var decoderCopied = false;
        foreach (var (key, value) in vlpModel)
        {
            // The reference copies the text decoder inside this loop, before the first model key lands.
            if (!decoderCopied && textDecoder is not null && options.TransferTextDecoder)
            {
                foreach (var (decoderKey, decoderValue) in textDecoder)
                    if (decoderKey.Contains("decoder", StringComparison.Ordinal))
                        Put("mbart.model.decoder." + DropTwoComponents(decoderKey), "vlp:text_decoder:" + decoderKey, decoderValue);
                decoderCopied = true;
            }
            // The visual backbone: frame CNN and TemporalConv (the reference), and the pose stream's encoder and fusion.
            if (key.Contains("conv_2d", StringComparison.Ordinal) || key.Contains("conv_1d", StringComparison.Ordinal)
                || key.StartsWith("model_images.model.pose_encoder.", StringComparison.Ordinal) || key.StartsWith("model_images.model.fusion.", StringComparison.Ordinal))
                Put("backbone." + DropTwoComponents(key), "vlp:model:" + key, value);
            var skipTokenTable = options.Variant == VlpTransferVariant.SignCl && key.Contains(".embed_tokens", StringComparison.Ordinal);
            if (key.Contains("trans_encoder", StringComparison.Ordinal) && !skipTokenTable)
                Put("mbart.model.encoder." + DropTwoComponents(key), "vlp:model:" + key, value);
        }

        foreach (var (key, value) in mbartWeights ?? new Dictionary<string, Tensor>())
            if (key.Contains("decoder.embed_tokens.weight", StringComparison.Ordinal) || key.Contains("decoder.embed_positions.weight", StringComparison.Ordinal))
                Put("mbart." + key, "transformer_bin:" + key, value);

        return order.Select(k => entries[k]).ToList();
    }

    /// <summary>
    /// Loads the mapped weights into <paramref name="model"/> non-strictly, as the reference does; the report lists
    /// the SLT keys that keep their fresh values (missing) and mapped keys the model lacks (unexpected).
    /// </summary>
    public static WeightLoadReport Load(SltModel model,
        IReadOnlyDictionary<string, Tensor> vlpModel,
        IReadOnlyDictionary<string, Tensor>? textDecoder,
        IReadOnlyDictionary<string, Tensor>? mbartWeights,
        VlpTransferOptions options,
        string sourceName = "VLP checkpoint")
    {
        if (mbartWeights is null)
            Log.Warning("{Source}: no mBART weights given, so the SLT decoder keeps the VLP decoder's token and position tables (the reference replaces them from the tokenizer model)", sourceName);
        var mapped = Map(vlpModel, textDecoder, mbartWeights, options);
        var report = WeightLoader.Load(model, mapped.ToDictionary(w => w.TargetKey, w => w.Value), strict: false, sourceName: sourceName, warnIfIncomplete: false);
        Log.Information("Initialised the SLT model from {Source}: {Summary}", sourceName, report.Describe(5));
        return report;
    }

    /// <summary>
    /// <c>finetune --init</c>: initialises <paramref name="model"/> from a pretraining checkpoint folder of ours, a
    /// reference <c>checkpoint.pth</c> of the VLP scripts, or a flat <c>.safetensors</c> file of the VLP state
    /// (<c>module.</c>-prefixed decoder keys). SLT checkpoints (folder with stage <c>finetune</c>, or an SLT
    /// <c>.pth</c>) load by name without remapping. <paramref name="mbartWeights"/> is the model folder written by
    /// <c>slt import mbart</c> (or a HF folder / weights file) whose decoder tables replace the SLT decoder's.
    /// </summary>
    public static WeightLoadReport LoadInit(SltModel model, string pathOrFolder, VlpTransferOptions options, string? mbartWeights = null)
    {
        var (vlpModel, textDecoder, isSlt) = ReadInitSource(pathOrFolder);
        Dictionary<string, Tensor>? tables = null;
        try
        {
            if (isSlt)
            {
                var report = WeightLoader.Load(model, vlpModel, strict: false, sourceName: pathOrFolder);
                Log.Information("Initialised the SLT model from the SLT checkpoint {Source}: {Summary}", pathOrFolder, report.Describe(5));
                return report;
            }
            tables = mbartWeights is null ? null : PretrainedWeights.ReadMBartWeights(mbartWeights);
            return Load(model, vlpModel, textDecoder, tables, options, pathOrFolder);
        }
        finally
        {
            // The model holds copies; the source tensors (a whole checkpoint) are released now rather than at GC.
            foreach (var t in vlpModel.Values.Concat(textDecoder?.Values ?? Enumerable.Empty<Tensor>()).Concat(tables?.Values ?? Enumerable.Empty<Tensor>())) t.Dispose();
        }
    }

    /// <summary>Splits a flat VLP state (ours) into the reference's <c>model</c> and <c>text_decoder</c> dicts.</summary>
    public static (Dictionary<string, Tensor> Model, Dictionary<string, Tensor> TextDecoder) SplitFlatVlpState(IReadOnlyDictionary<string, Tensor> flat)
    {
        var model = new Dictionary<string, Tensor>();
        var decoder = new Dictionary<string, Tensor>();
        foreach (var (key, value) in flat)
            (key.StartsWith(TextDecoderPrefix, StringComparison.Ordinal) ? decoder : model)[key] = value;
        return (model, decoder);
    }

    private static (Dictionary<string, Tensor> Model, Dictionary<string, Tensor>? TextDecoder, bool IsSlt) ReadInitSource(string path)
    {
        if (Directory.Exists(path))
        {
            path = CheckpointStore.Locate(path);
            var meta = CheckpointStore.ReadMetadata(path);
            var flat = CheckpointStore.ReadWeights(path);
            if (meta.Stage != "pretrain")
                return (flat, null, true);
            var (vlp, decoder) = SplitFlatVlpState(flat);
            return (vlp, decoder, false);
        }
        if (!File.Exists(path))
            throw new InputException($"{path}: no such checkpoint file or folder");
        if (path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase))
        {
            var flat = StateDictFile.Load(path);
            if (LooksLikeSlt(flat)) return (flat, null, true);
            var (vlp, decoder) = SplitFlatVlpState(flat);
            return (vlp, decoder, false);
        }
        Dictionary<string, Dictionary<string, Tensor>> dicts;
        try
        {
            dicts = PyTorchCheckpointFile.LoadStateDicts(path);
        }
        catch (InvalidDataException e)
        {
            throw new InputException(e.Message, e);
        }
        if (!dicts.TryGetValue("model", out var modelDict))
            throw new InputException($"{path}: not a GFSLT-VLP / SignCL checkpoint (no 'model' entry; entries: {string.Join(", ", dicts.Keys)})");
        if (LooksLikeSlt(modelDict)) return (modelDict, null, true);
        dicts.TryGetValue("text_decoder", out var textDecoder);
        if (textDecoder is null)
            Log.Warning("{Path}: no text_decoder entry (written by the older train_vlp.py?); the SLT decoder layers keep their fresh values", path);
        return (modelDict, textDecoder, false);
    }

    private static bool LooksLikeSlt(IReadOnlyDictionary<string, Tensor> state) =>
        state.Keys.Any(k => k.StartsWith("mbart.", StringComparison.Ordinal) || k.StartsWith("sign_emb.", StringComparison.Ordinal));

    // Python's '.'.join(k.split('.')[2:]).
    private static string DropTwoComponents(string key)
    {
        var parts = key.Split('.');
        return string.Join('.', parts.Skip(2));
    }
}
