using Serilog;
using SignTranslate.Models;
using SignTranslate.Models.Checkpoints;
using SignTranslate.Training.Checkpoints;
using SignTranslate.Training.Tasks;

namespace SignTranslate.Training;

/// <summary>
/// <c>slt finetune --init</c> from one of our pretraining checkpoints, with the reference's key mapping
/// (reference-spec §4.7): the visual backbone as is, the VLP visual encoder into the mBART encoder (token embeddings
/// skipped, as the SignCL code does), and the masked-text decoder (token table included) into the mBART decoder when both decoders have the
/// same depth (decoder type LD; LLMD drops it). Everything else keeps its fresh initialisation.
/// </summary>
public static class FinetuneInit
{
    public static WeightLoadReport FromPretraining(SltModel model, string checkpointFolder)
    {
        var meta = CheckpointStore.ReadMetadata(checkpointFolder);
        if (meta.Stage != "pretrain")
            throw new InputException($"{checkpointFolder}: --init expects a pretraining checkpoint, this one is '{meta.Stage}'");
        var weights = CheckpointStore.ReadWeights(checkpointFolder);
        var decoderPrefix = PretrainTask.TextDecoderPrefix + "text_decoder.";
        var vlpDecoderLayers = weights.Keys.Where(k => k.StartsWith(decoderPrefix + "layers.", StringComparison.Ordinal))
            .Select(k => k[(decoderPrefix.Length + "layers.".Length)..].Split('.')[0]).Distinct().Count();
        bool transferDecoder = vlpDecoderLayers == model.Options.MBart.DecoderLayers;
        try
        {
            var report = WeightLoader.Load(model, weights, strict: false, renameSourceKey: key => Map(key, transferDecoder, decoderPrefix),
                sourceName: checkpointFolder);
            Log.Information("--init {Checkpoint}: {Summary}; text decoder {Transfer}", checkpointFolder, report.Describe(8).Split(Environment.NewLine)[0],
                transferDecoder ? "transferred (same depth, decoder type LD)" : $"not transferred ({vlpDecoderLayers} pretrained vs {model.Options.MBart.DecoderLayers} layers, decoder type LLMD)");
            return report;
        }
        finally
        {
            foreach (var t in weights.Values) t.Dispose();
        }
    }

    private static string? Map(string key, bool transferDecoder, string decoderPrefix)
    {
        const string images = "model_images.";
        if (key.StartsWith(images + "model.", StringComparison.Ordinal))
            return "backbone." + key[(images.Length + "model.".Length)..];
        if (key.StartsWith(images + "trans_encoder.", StringComparison.Ordinal))
            return key.Contains("embed_tokens", StringComparison.Ordinal) ? null : "mbart.model.encoder." + key[(images.Length + "trans_encoder.".Length)..];
        if (transferDecoder && key.StartsWith(decoderPrefix, StringComparison.Ordinal))
            return "mbart.model.decoder." + key[decoderPrefix.Length..];
        return null;
    }
}
