using System.CommandLine;
using SignTranslate.Checkpoints.Pretrained;
using SignTranslate.Data;
using SignTranslate.Files;
using SignTranslate.Models;
using SignTranslate.Text;
using SignTranslate.Training;

namespace SignTranslate.Cli.Commands;

/// <summary>
/// <c>slt import mbart|gfslt</c>: brings weights from outside (a Hugging Face mBART folder, a checkpoint of the
/// original GFSLT-VLP / SignCL code) into SignTranslate's formats. See docs/pretrained.md.
/// </summary>
public static class ImportCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var command = new Command("import", "Import pretrained weights: a Hugging Face mBART (trimmed to the corpus) or a GFSLT-VLP / SignCL checkpoint");
        command.Subcommands.Add(CreateMBart(stdout, stderr));
        command.Subcommands.Add(CreateGfslt(stdout, stderr));
        return command;
    }

    private static Command CreateGfslt(TextWriter stdout, TextWriter stderr)
    {
        var checkpoint = new Option<FileInfo>("--checkpoint") { Description = "A .pth written by the original code (best_checkpoint.pth / checkpoint.pth)", Required = true };
        var output = new Option<DirectoryInfo>("--out", "-o") { Description = "Checkpoint folder to write", Required = true };
        var stage = new Option<string?>("--stage") { Description = "slt (gloss_free_model) or vlp (SLRCLIP + Text_Decoder); detected from the keys when omitted" };
        stage.AcceptOnlyFromAmong("slt", "vlp");
        var mbartConfig = new Option<FileInfo?>("--mbart-config") { Description = "HF config.json of the checkpoint's mBART (mytran / LLMD): heads, activation, dropouts; without it the reference preset of the decoder type is used" };
        var textEncoderConfig = new Option<FileInfo?>("--text-encoder-config") { Description = "VLP only: HF config.json of the text encoder's mBART (MBart_trimmed); without it the reference preset (16 heads, GELU)" };
        var tokenizer = new Option<string?>("--tokenizer") { Description = "The tokenizer the model was trained with: a folder written by 'slt import mbart', a tokenizer folder, or a sentencepiece.bpe.model file" };
        var language = new Option<string>("--lang") { Description = "Language code for a SentencePiece --tokenizer", DefaultValueFactory = _ => "de_DE" };

        var command = new Command("gfslt", "Convert a GFSLT-VLP / SignCL checkpoint (.pth) into a SignTranslate checkpoint folder")
        {
            checkpoint, output, stage, mbartConfig, textEncoderConfig, tokenizer, language,
        };
        command.SetAction((parse, cancel) => CommandRunner.RunAsync(parse, stderr, _ =>
        {
            var source = parse.GetValue(checkpoint)!.FullName;
            var folder = parse.GetValue(output)!.FullName;
            // The checkpoint is built beside the target folder and renamed into place, so its parent must take files.
            OutputFolder.EnsureWritableFor(folder, "--out");
            var wanted = parse.GetValue(stage) switch { "slt" => GfsltCheckpointStage.Slt, "vlp" => GfsltCheckpointStage.Vlp, _ => (GfsltCheckpointStage?)null };
            var config = parse.GetValue(mbartConfig) is { } file ? ReadMBartConfig(file.FullName) : null;
            var textConfig = parse.GetValue(textEncoderConfig) is { } textFile ? ReadMBartConfig(textFile.FullName) : null;
            var tok = LoadTokenizer(parse.GetValue(tokenizer), parse.GetValue(language)!);
            var imported = GfsltCheckpointImport.Read(source, wanted, config, textConfig);
            GfsltCheckpointImport.Write(imported, folder, tok, source);

            var stageName = imported.Stage == GfsltCheckpointStage.Slt ? "finetune" : "pretrain";
            stdout.WriteLine($"Imported {source} as a {stageName} checkpoint: {folder}");
            foreach (var (part, report) in imported.Reports)
                stdout.WriteLine($"  {part}: {report.Describe(5).ReplaceLineEndings(Environment.NewLine + "    ")}");
            var mbart = imported.Stage == GfsltCheckpointStage.Slt ? imported.Config.Model.Mbart : imported.Config.Model.VisualEncoder;
            stdout.WriteLine($"  implied model: d_model {mbart.DModel}, encoder {mbart.EncoderLayers}x{mbart.EncoderAttentionHeads} heads, decoder {mbart.DecoderLayers}x{mbart.DecoderAttentionHeads} heads, "
                + $"ffn {mbart.EncoderFfnDim}, {mbart.ActivationFunction}, vocabulary {mbart.VocabSize}, temporal width {imported.Config.Model.Visual.TemporalHiddenSize}");
            if (tok is null)
                stderr.WriteLine("slt: warning: no --tokenizer given, so the checkpoint has no tokenizer/ folder; slt eval and slt translate need one to turn ids into text");
            return Task.FromResult(ExitCodes.Success);
        }, cancel));
        return command;
    }

    internal static MBartOptions ReadMBartConfig(string path)
    {
        try
        {
            return MBartOptions.FromConfigJson(path);
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            throw new InputException(e.Message, e);
        }
    }

    /// <summary>A tokenizer from a folder with tokenizer.json (or a tokenizer/ sub-folder) or a SentencePiece model file.</summary>
    internal static ITextTokenizer? LoadTokenizer(string? path, string language)
    {
        if (string.IsNullOrEmpty(path)) return null;
        try
        {
            if (File.Exists(path))
                return MBartSentencePieceTokenizer.FromModelFile(path, language);
            if (!Directory.Exists(path))
                throw new InputException($"{path}: tokenizer not found");
            foreach (var folder in new[] { path, Path.Combine(path, "tokenizer") })
                if (File.Exists(Path.Combine(folder, TokenizerStore.ManifestFileName)))
                    return TokenizerStore.Load(folder);
            var model = Path.Combine(path, MBartSentencePieceTokenizer.ModelFileName);
            if (File.Exists(model))
                return MBartSentencePieceTokenizer.FromModelFile(model, language);
            throw new InputException($"{path}: no {TokenizerStore.ManifestFileName}, tokenizer/ folder or {MBartSentencePieceTokenizer.ModelFileName} in it");
        }
        catch (Exception e) when (e is InvalidDataException or IOException or ArgumentException)
        {
            throw new InputException($"{path}: cannot load the tokenizer ({e.Message})", e);
        }
    }

    private static Command CreateMBart(TextWriter stdout, TextWriter stderr)
    {
        var from = new Option<DirectoryInfo>("--from") { Description = "Hugging Face mBART folder: config.json, model.safetensors or pytorch_model.bin, sentencepiece.bpe.model", Required = true };
        var trainText = new Option<string[]>("--train-text") { Description = "Training labels files (labels.train) or UTF-8 .txt files with one sentence per line", Required = true, AllowMultipleArgumentsPerToken = true };
        var language = new Option<string>("--lang") { Description = "Language code of the target text (de_DE for Phoenix-2014T, zh_CN for CSL-Daily)", Required = true };
        language.AcceptOnlyFromAmong([.. MBartSentencePieceTokenizer.LanguageCodes]);
        var output = new Option<DirectoryInfo>("--out", "-o") { Description = "Folder for the trimmed model (point model.mbart_weights at it)", Required = true };

        var command = new Command("mbart", "Trim a Hugging Face mBART (e.g. mbart-large-cc25) to the vocabulary of the training text")
        {
            from, trainText, language, output,
        };
        command.SetAction((parse, cancel) => CommandRunner.RunAsync(parse, stderr, _ =>
        {
            var folder = parse.GetValue(output)!.FullName;
            OutputFolder.EnsureWritable(folder, "--out");
            var sentences = new List<string>();
            foreach (var file in parse.GetValue(trainText)!)
                sentences.AddRange(ReadSentences(file));
            if (sentences.Count == 0) throw new InputException("--train-text: no sentences in the given files");
            var result = MBartVocabularyTrim.Trim(parse.GetValue(from)!.FullName, sentences, parse.GetValue(language)!, folder);
            stdout.WriteLine($"Trimmed mBART vocabulary: {result.OriginalVocabularySize} -> {result.VocabularySize} ids "
                + $"({result.PieceCount} SentencePiece pieces from {result.Sentences} sentences, {MBartSentencePieceTokenizer.LanguageCodes.Count} language codes, <mask>)");
            if (result.SentencesEncodedDifferently > 0)
                stderr.WriteLine($"slt: warning: {result.SentencesEncodedDifferently} training sentences segment differently after trimming");
            stdout.WriteLine($"Wrote {folder} (set model.mbart_weights to it; its tokenizer/ folder is the matching tokenizer)");
            return Task.FromResult(ExitCodes.Success);
        }, cancel));
        return command;
    }

    private static IReadOnlyList<string> ReadSentences(string path)
    {
        if (!File.Exists(path)) throw new InputException($"{path}: training text file not found");
        if (path.EndsWith(".txt", StringComparison.OrdinalIgnoreCase))
            return Utf8LineFile.Read(path).Where(line => line.Trim().Length > 0).ToList();
        return LabelsFileReader.Read(path).Select(sample => sample.Text).ToList();
    }
}
