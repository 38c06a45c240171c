using static TorchSharp.torch;

namespace SignTranslate.Checkpoints.Pretrained;

/// <summary>File format of an export.</summary>
public enum ExportFormat
{
    /// <summary>One flat safetensors file (<c>safetensors.torch.load_file</c>).</summary>
    Safetensors,

    /// <summary>A <c>torch.save</c> zip file (<c>torch.load</c>).</summary>
    Pytorch,
}

/// <summary>Which weights an export holds.</summary>
public enum ExportPart
{
    /// <summary>The whole checkpoint under the reference names.</summary>
    All,

    /// <summary>Only the ResNet-18 frame encoder under torchvision's names (no <c>fc</c>), e.g. for <c>model.visual.backbone_weights</c>.</summary>
    Backbone,
}

/// <summary>
/// Writes a checkpoint folder's weights for Python users under the reference names. The PyTorch form of a whole
/// checkpoint is the reference's checkpoint dict: <c>{'model': …}</c> for SLT (what <c>train_slt.py --resume</c>
/// reads) and <c>{'model': …, 'text_decoder': …}</c> for VLP (what <c>--finetune</c> reads). The safetensors form is
/// flat (VLP decoder keys keep their <c>module.</c> prefix); a backbone export is a plain torchvision state dict.
/// </summary>
public static class CheckpointExport
{
    private static readonly string[] BackbonePrefixes = ["backbone.conv_2d.resnet.", "model_images.model.conv_2d.resnet."];

    /// <summary>Exports and returns the number of tensors written.</summary>
    public static int Export(string checkpointFolder, ExportFormat format, ExportPart part, string outputPath)
    {
        checkpointFolder = CheckpointStore.Locate(checkpointFolder);
        var metadata = CheckpointStore.ReadMetadata(checkpointFolder);
        var weights = CheckpointStore.ReadWeights(checkpointFolder);
        try
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(outputPath))!;
            Directory.CreateDirectory(directory);
            if (part == ExportPart.Backbone)
            {
                var backbone = Backbone(weights, checkpointFolder);
                Write(format, outputPath, [KeyValuePair.Create("", backbone)]);
                return backbone.Count;
            }
            if (format == ExportFormat.Safetensors)
            {
                SafeTensorsFile.Save(outputPath, weights);
                return weights.Count;
            }
            var entries = new List<KeyValuePair<string, Dictionary<string, Tensor>>>();
            if (metadata.Stage == "pretrain")
            {
                var (model, decoder) = VlpToSltTransfer.SplitFlatVlpState(weights);
                entries.Add(KeyValuePair.Create("model", model));
                if (decoder.Count > 0) entries.Add(KeyValuePair.Create("text_decoder", decoder));
            }
            else
            {
                entries.Add(KeyValuePair.Create("model", weights));
            }
            Write(format, outputPath, entries);
            return weights.Count;
        }
        finally
        {
            foreach (var t in weights.Values) t.Dispose();
        }
    }

    /// <summary>The ResNet-18 tensors under torchvision names.</summary>
    public static Dictionary<string, Tensor> Backbone(IReadOnlyDictionary<string, Tensor> weights, string source)
    {
        foreach (var prefix in BackbonePrefixes)
        {
            var part = weights.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal))
                .ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value);
            if (part.Count > 0) return part;
        }
        throw new InputException($"{source}: the checkpoint has no ResNet-18 frame encoder ({string.Join(" or ", BackbonePrefixes)}*)");
    }

    // An entry named "" is written as the file's top-level state dict.
    private static void Write(ExportFormat format, string path, IReadOnlyList<KeyValuePair<string, Dictionary<string, Tensor>>> entries)
    {
        if (format == ExportFormat.Safetensors)
        {
            SafeTensorsFile.Save(path, entries.SelectMany(e => e.Value));
            return;
        }
        if (entries is [{ Key: "" } single])
            PyTorchFileWriter.SaveStateDict(path, single.Value);
        else
            PyTorchFileWriter.Save(path, entries.Select(e => KeyValuePair.Create(e.Key, (object)e.Value)));
    }
}
