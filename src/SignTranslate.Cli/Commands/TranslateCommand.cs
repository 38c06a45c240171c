using System.CommandLine;
using SignTranslate.Data;
using SignTranslate.Training;
using TorchSharp;

namespace SignTranslate.Cli.Commands;

/// <summary>
/// <c>slt translate --checkpoint CKPT PATH...</c>: each PATH is a folder of frames (PNG or JPEG, in file-name order),
/// prepared exactly as the checkpoint's evaluation prepares dev/test videos, and translated with its search settings.
/// One PATH prints the text; several print <c>PATH&lt;TAB&gt;text</c> lines.
/// </summary>
public static class TranslateCommand
{
    private static readonly string[] FrameExtensions = [".png", ".jpg", ".jpeg"];

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var checkpoint = SharedOptions.Checkpoint("Checkpoint folder of a finetuned model");
        var beam = SharedOptions.Beam();
        var device = SharedOptions.DeviceOfCheckpoint();
        var paths = new Argument<DirectoryInfo[]>("PATH") { Description = "Folders of video frames (PNG/JPEG, sorted by file name)", Arity = ArgumentArity.OneOrMore };
        var command = new Command("translate", "Translate videos (folders of frames) to text with a checkpoint") { checkpoint, beam, device, paths };
        command.SetAction((parse, cancel) => CommandRunner.RunAsync(parse, stderr, token =>
        {
            var overrides = new List<string>();
            if (parse.GetValue(beam) is { } b) overrides.Add($"eval.num_beams={b}");
            if (parse.GetValue(device) is { } d) overrides.Add($"run.device={d}");
            return Task.FromResult(Run(parse.GetValue(checkpoint)!.FullName, parse.GetValue(paths)!, overrides, stdout, token));
        }, cancel));
        return command;
    }

    private static int Run(string checkpointFolder, IReadOnlyList<DirectoryInfo> folders, IReadOnlyList<string> overrides, TextWriter stdout, CancellationToken cancel)
    {
        var samples = folders.Select(Sample).ToList();
        var checkpoint = TrainedModels.Read(checkpointFolder, overrides);
        var config = checkpoint.Config;
        var device = TrainedModels.PrepareDevice(config);
        using var model = TrainedModels.LoadSlt(checkpoint, device);
        var builder = new SignBatchBuilder(samples, new DiskVideoSource(new VideoLoader(imageRoot: null, config.Data.Frames, config.Data.Augmentation)),
            checkpoint.Tokenizer, config.Data, training: false, withMaskedText: false);
        using var noGrad = torch.no_grad();
        foreach (var chunk in Enumerable.Range(0, samples.Count).Chunk(config.Training.EvalBatchSize))
        {
            cancel.ThrowIfCancellationRequested();
            using var batch = builder.Build(chunk, 0);
            var texts = SplitTranslator.TranslateBatch(model, batch, checkpoint.Tokenizer, config.Eval, device);
            for (var i = 0; i < chunk.Length; i++)
                stdout.WriteLine(samples.Count == 1 ? texts[i] : $"{samples[chunk[i]].Id}\t{texts[i]}");
        }
        return ExitCodes.Success;
    }

    private static SignSample Sample(DirectoryInfo folder)
    {
        if (!folder.Exists)
            throw new InputException($"{folder.FullName}: folder not found (slt translate takes folders of frames)");
        var frames = folder.EnumerateFiles()
            .Where(f => FrameExtensions.Contains(f.Extension.ToLowerInvariant()))
            .Select(f => f.FullName).Order(StringComparer.Ordinal).ToList();
        if (frames.Count == 0)
            throw new InputException($"{folder.FullName}: no PNG or JPEG frames in this folder");
        return new SignSample { Id = folder.FullName, Text = "", FrameCount = frames.Count, FramePaths = frames };
    }
}
