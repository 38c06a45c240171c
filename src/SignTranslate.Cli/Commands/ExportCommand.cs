using System.CommandLine;
using SignTranslate.Checkpoints.Pretrained;
using SignTranslate.Files;

namespace SignTranslate.Cli.Commands;

/// <summary>
/// <c>slt export --checkpoint CKPT --format safetensors|pytorch --out FILE [--part all|backbone]</c>: the weights of a
/// checkpoint folder under the reference names, for Python (see docs/pretrained.md).
/// </summary>
public static class ExportCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var checkpoint = SharedOptions.Checkpoint("Checkpoint folder (written by training or 'slt import gfslt')");
        var format = new Option<string>("--format") { Description = "safetensors (flat) or pytorch (torch.save: the reference checkpoint dict, or a plain state dict for --part backbone)", Required = true };
        format.AcceptOnlyFromAmong("safetensors", "pytorch");
        var output = new Option<FileInfo>("--out", "-o") { Description = "File to write", Required = true };
        var part = new Option<string>("--part") { Description = "all, or backbone: only the ResNet-18 under torchvision names (loadable with model.visual.backbone_weights)", DefaultValueFactory = _ => "all" };
        part.AcceptOnlyFromAmong("all", "backbone");

        var command = new Command("export", "Write a checkpoint's weights under the reference names as safetensors or a PyTorch file")
        {
            checkpoint, format, output, part,
        };
        command.SetAction((parse, cancel) => CommandRunner.RunAsync(parse, stderr, _ =>
        {
            var folder = parse.GetValue(checkpoint)!.FullName;
            var fileFormat = parse.GetValue(format) == "pytorch" ? ExportFormat.Pytorch : ExportFormat.Safetensors;
            var exportPart = parse.GetValue(part) == "backbone" ? ExportPart.Backbone : ExportPart.All;
            var path = parse.GetValue(output)!.FullName;
            OutputFolder.EnsureWritableFor(path, "--out");
            var count = 0;
            UserFiles.Write(path, p => count = CheckpointExport.Export(folder, fileFormat, exportPart, p));
            stdout.WriteLine($"Wrote {count} tensors ({parse.GetValue(part)}, {parse.GetValue(format)}) to {path}");
            return Task.FromResult(ExitCodes.Success);
        }, cancel));
        return command;
    }
}
