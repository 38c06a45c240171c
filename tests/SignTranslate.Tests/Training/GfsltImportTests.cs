using System.Text.Json.Nodes;
using SignTranslate.Checkpoints;
using SignTranslate.Checkpoints.Pretrained;
using SignTranslate.Cli;
using SignTranslate.Decoding;
using SignTranslate.Models;
using SignTranslate.Tests.Checkpoints.Pretrained;
using SignTranslate.Tests.Cli;
using SignTranslate.Tests.Models;
using SignTranslate.Text;
using SignTranslate.Training;
using static TorchSharp.torch;

namespace SignTranslate.Tests.Training;

/// <summary>
/// <c>slt import gfslt</c> on the reference checkpoints: the imported SLT checkpoint reproduces every recorded output
/// of <c>slt_cases.safetensors</c> (one theory row per output tensor and per generation run), and the imported VLP
/// checkpoint holds the reference tensors unchanged and initialises finetuning like the reference file.
/// </summary>
[Collection(ImportedCheckpointCollection.Name)]
public class GfsltImportTests(ImportedCheckpointFixture imported)
{
    private const string Cases = "slt_cases.safetensors";

    private static readonly string[] ForwardOutputs = ["resnet_features", "frames_feature", "inputs_embeds", "encoder_last_hidden_state", "logits"];

    /// <summary>The forward outputs of slt_cases.safetensors that the SLT model returns.</summary>
    public static TheoryData<string> ForwardCases
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var name in ForwardOutputs.Where(ReferenceCheckpoints.StateDict(Cases).ContainsKey)) data.Add(name);
            return data;
        }
    }

    /// <summary>Every recorded generation run (<c>gen.RUN.sequences</c>).</summary>
    public static TheoryData<string> GenerationRuns
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var key in ReferenceCheckpoints.StateDict(Cases).Keys.Where(k => k.StartsWith("gen.", StringComparison.Ordinal) && k.EndsWith(".sequences", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
                data.Add(key["gen.".Length..^".sequences".Length]);
            return data;
        }
    }

    [Fact]
    public void SltImportWritesAFinetuneCheckpointWithTheImpliedConfig()
    {
        Assert.True(imported.SltImport.ExitCode == ExitCodes.Success, imported.SltImport.Stderr);
        var keys = ReferenceCheckpoints.StateKeys(ReferenceCheckpoints.Slt.GetProperty("model_state"));
        Assert.Contains($"model: loaded {keys.Count}, missing 0, unexpected 0, shape-mismatched 0", imported.SltImport.Stdout);
        Assert.Contains("no --tokenizer given", imported.SltImport.Stderr);
        Assert.Equal("finetune", imported.Metadata!.Stage);
        var mbart = imported.Config!.Model.Mbart;
        var config = MBartConfigJson(ReferenceCheckpoints.Slt.GetProperty("mbart_config_file").GetString()!);
        Assert.Equal((Int(config, "d_model"), Int(config, "vocab_size"), Int(config, "max_position_embeddings"), Int(config, "encoder_layers"),
                Int(config, "decoder_layers"), Int(config, "encoder_ffn_dim"), Int(config, "encoder_attention_heads"), Text(config, "activation_function"),
                config["tie_word_embeddings"]!.GetValue<bool>()),
            (mbart.DModel, mbart.VocabSize, mbart.MaxPositionEmbeddings, mbart.EncoderLayers, mbart.DecoderLayers, mbart.EncoderFfnDim,
                mbart.EncoderAttentionHeads, mbart.ActivationFunction, mbart.TieWordEmbeddings));
        // TemporalConv's input and output widths are what slt_checkpoint.json → sizes.temporal_conv records. The pad
        // value 1.0 is the reference code's PAD_IDX for ResNet features, the same for every checkpoint
        // (docs/reference.md#s4.1).
        var temporal = ReferenceCheckpoints.Slt.GetProperty("sizes").GetProperty("temporal_conv");
        var visual = imported.Config.Model.Visual;
        Assert.Equal((temporal[0].GetInt32(), temporal[1].GetInt32(), 1.0), (visual.FrameFeatureSize, visual.TemporalHiddenSize, visual.FeaturePadValue));
        Assert.Equal(keys.Order(StringComparer.Ordinal), imported.SltLoad!.Loaded.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(ForwardCases))]
    public void ImportedSltCheckpointReproducesTheForwardOutput(string output)
    {
        Assert.True(imported.SltImport.ExitCode == ExitCodes.Success, imported.SltImport.Stderr);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var cases = ReferenceCheckpoints.StateDict(Cases);
        var (atol, rtol) = ReferenceCheckpoints.Tolerance(ReferenceCheckpoints.Slt.GetProperty("fp32_vs_fp64"), output);
        var model = imported.Slt!;
        var (embeds, visual) = model.Embed(SignInputs.Rgb(cases["src.input_ids"]), cases["src.src_length_batch"]);
        var result = model.MBart.Forward(attentionMask: cases["src.attention_mask"], decoderAttentionMask: cases["tgt.attention_mask"],
            labels: cases["tgt.input_ids"], inputsEmbeds: embeds);
        var actual = output switch
        {
            "resnet_features" => visual.FrameFeatures,
            "frames_feature" => visual.Features,
            "inputs_embeds" => embeds,
            "encoder_last_hidden_state" => result.EncoderLastHiddenState,
            "logits" => result.Logits,
            _ => throw new ArgumentException(output),
        };
        TensorAssert.Close(cases[output], actual, atol, rtol, output);
    }

    [Theory]
    [MemberData(nameof(GenerationRuns))]
    public void ImportedSltCheckpointReproducesTheGeneration(string run)
    {
        Assert.True(imported.SltImport.ExitCode == ExitCodes.Success, imported.SltImport.Stderr);
        using var scope = NewDisposeScope();
        var cases = ReferenceCheckpoints.StateDict(Cases);
        var expected = cases[$"gen.{run}.sequences"];
        var options = ReferenceCheckpoints.GenerationOptionsOf(run);   // the run's settings as slt_checkpoint.json records them
        var result = imported.Slt!.Generate(cases["src.input_ids"], cases["src.src_length_batch"], cases["src.attention_mask"], options);
        TensorAssert.Equal(expected, tensor(result.Sequences.SelectMany(r => r).ToArray(), new long[] { result.Sequences.Length, result.Sequences[0].Length }), run);
        // Beam runs, and only they, carry scores (HF's sequences_scores).
        Assert.Equal(options.NumBeams > 1, cases.ContainsKey($"gen.{run}.sequences_scores"));
        if (options.NumBeams > 1)
        {
            var (atol, rtol) = ReferenceCheckpoints.Tolerance(ReferenceCheckpoints.Slt.GetProperty("fp32_vs_fp64"), $"gen.{run}.sequences_scores");
            TensorAssert.Close(cases[$"gen.{run}.sequences_scores"], tensor(result.SequenceScores!.Select(s => (float)s).ToArray()), atol, rtol, $"{run} scores");
        }
    }

    [Fact]
    public void VlpImportKeepsTheReferenceTensorsUnderTheirKeys()
    {
        Assert.True(imported.VlpImport.ExitCode == ExitCodes.Success, imported.VlpImport.Stderr);
        var metadata = CheckpointStore.ReadMetadata(imported.VlpFolder);
        Assert.Equal("pretrain", metadata.Stage);
        var model = SignTranslate.Config.ConfigLoader.Parse<ExperimentConfig>(metadata.ConfigYaml, "meta.json").Model;
        var visualEncoder = MBartConfigJson("pretrain_models/mytran/config.json");
        var textEncoder = MBartConfigJson("pretrain_models/MBart_trimmed/config.json");
        Assert.Equal((Int(visualEncoder, "encoder_layers"), Int(visualEncoder, "encoder_attention_heads"), Text(visualEncoder, "activation_function"),
                Int(visualEncoder, "decoder_layers"), Int(textEncoder, "encoder_layers")),
            (model.VisualEncoder.EncoderLayers, model.VisualEncoder.EncoderAttentionHeads, model.VisualEncoder.ActivationFunction,
                model.VisualEncoder.DecoderLayers, model.TextEncoder.EncoderLayers));
        // The argmax-id pooling of the text side is how SLRCLIP is coded, whatever the checkpoint (docs/reference.md#s4.6.2).
        Assert.Equal((Int(textEncoder, "encoder_attention_heads"), Text(textEncoder, "activation_function"), textEncoder["tie_word_embeddings"]!.GetValue<bool>(), TextPooling.ArgmaxId),
            (model.TextEncoder.EncoderAttentionHeads, model.TextEncoder.ActivationFunction, model.TextEncoder.TieWordEmbeddings, model.TextPooling));
        using var scope = NewDisposeScope();
        var weights = CheckpointStore.ReadWeights(imported.VlpFolder);
        var vlp = ReferenceCheckpoints.StateDict("vlp_checkpoint.pth", "model");
        var decoder = ReferenceCheckpoints.StateDict("vlp_checkpoint.pth", "text_decoder");
        Assert.Equal(vlp.Count + decoder.Count, weights.Count);
        foreach (var (key, expected) in vlp.Concat(decoder))
            Assert.True(weights[key].eq(expected).all().item<bool>(), key);
    }

    [Fact]
    public void FinetuneInitFromTheImportedFolderEqualsInitFromTheReferenceFile()
    {
        Assert.True(imported.VlpImport.ExitCode == ExitCodes.Success, imported.VlpImport.Stderr);
        using var scope = NewDisposeScope();
        var fromFile = new SltModel(ReferenceCheckpoints.SltOptions());
        var fromFolder = new SltModel(ReferenceCheckpoints.SltOptions());
        fromFolder.load_state_dict(fromFile.state_dict());   // same fresh values, so every key must agree afterwards
        var options = new VlpTransferOptions();
        var fileReport = VlpToSltTransfer.LoadInit(fromFile, ReferenceCheckpoints.PathOf("vlp_checkpoint.pth"), options, ReferenceCheckpoints.MBartTrimmedFolder);
        var folderReport = VlpToSltTransfer.LoadInit(fromFolder, imported.VlpFolder, options, ReferenceCheckpoints.MBartTrimmedFolder);
        // The file load takes exactly the keys GFSLT's train_slt.py puts in new_state_dict (the default variant).
        var newStateDict = ReferenceCheckpoints.FinetuneMap.GetProperty("gfslt_train_slt").GetProperty("new_state_dict").EnumerateArray().Select(p => p[0].GetString()!);
        Assert.Equal(newStateDict.Order(StringComparer.Ordinal), fileReport.Loaded.Order(StringComparer.Ordinal));
        Assert.Equal(fileReport.Loaded.Order(StringComparer.Ordinal), folderReport.Loaded.Order(StringComparer.Ordinal));
        var expected = fromFile.state_dict();
        foreach (var (key, value) in fromFolder.state_dict())
            Assert.True(value.eq(expected[key]).all().item<bool>(), key);
        var recorded = ReferenceCheckpoints.StateDict("finetune_slt_state.safetensors");
        Assert.True(expected["mbart.model.shared.weight"].eq(recorded["mbart.model.shared.weight"]).all().item<bool>());
    }

    [Fact]
    public void ImportOfAFileThatIsNotACheckpointIsAnInputError()
    {
        var result = CliRunner.Run("import", "gfslt", "--checkpoint", ReferenceCheckpoints.MytranConfig, "--out", Path.Combine(imported.Root, "bad"));
        Assert.Equal(ExitCodes.InputError, result.ExitCode);
        Assert.Contains("config.json", result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
    }

    [Fact]
    public void TokenizerWhoseVocabularyDiffersFromTheCheckpointsIsAnInputError()
    {
        var spm = TestFixtures.DataFile("phoenix2014t", "mbart-trimmed", "sentencepiece.bpe.model");
        var tokenizerIds = MBartSentencePieceTokenizer.FromModelFile(spm, "de_DE").VocabularySize;
        var checkpointIds = ReferenceCheckpoints.Slt.GetProperty("sizes").GetProperty("vocab").GetInt32();
        var result = CliRunner.Run("import", "gfslt", "--checkpoint", ReferenceCheckpoints.PathOf("slt_best_checkpoint.pth"),
            "--out", Path.Combine(imported.Root, "wrong-tokenizer"), "--tokenizer", spm, "--lang", "de_DE");
        Assert.Equal(ExitCodes.InputError, result.ExitCode);
        Assert.Contains($"the tokenizer has {tokenizerIds} ids but the checkpoint's vocabulary has {checkpointIds}", result.Stderr);
        Assert.False(Directory.Exists(Path.Combine(imported.Root, "wrong-tokenizer")));
    }

    [Fact]
    public void VlpTextDecoderSavedWithoutItsDdpPrefixImportsUnderThePrefix()
    {
        using var scope = NewDisposeScope();
        var path = Path.Combine(imported.Root, "vlp-no-ddp.pth");
        var decoder = ReferenceCheckpoints.StateDict("vlp_checkpoint.pth", "text_decoder");
        SignTranslate.Checkpoints.PyTorchFileWriter.Save(path, [
            KeyValuePair.Create("model", (object)ReferenceCheckpoints.StateDict("vlp_checkpoint.pth", "model")),
            KeyValuePair.Create("text_decoder", (object)decoder.ToDictionary(kv => kv.Key["module.".Length..], kv => kv.Value)),
        ]);
        var result = GfsltCheckpointImport.Read(path, GfsltCheckpointStage.Vlp, MBartOptions.FromConfigJson(ReferenceCheckpoints.MytranConfig));
        var keys = ReferenceCheckpoints.StateKeys(ReferenceCheckpoints.Vlp.GetProperty("text_decoder_state"));
        Assert.Equal(keys.Count, result.Reports.Single(r => r.Part == "text_decoder").Report.Loaded.Count);
        foreach (var (key, value) in decoder)
            Assert.True(result.Weights[key].eq(value).all().item<bool>(), key);
    }

    [Fact]
    public void SltImportWithAMatchingTokenizerLoadsAndTranslatesTheWayEvalDoes()
    {
        // The fixtures' id layout (checkpoints README): SentencePiece pieces with the fairseq offset (<pad> added), then
        // the language codes de_DE and zh_CN, then <mask> as the last id. A Phoenix SentencePiece model cut to its first
        // vocab − 4 pieces (all ids but <pad>, the two codes and <mask>) with those two codes has exactly that layout;
        // vocab and de_DE's id are slt_checkpoint.json's.
        var vocab = ReferenceCheckpoints.Slt.GetProperty("sizes").GetProperty("vocab").GetInt32();
        var languageId = ReferenceCheckpoints.Slt.GetProperty("lang_code_id").GetProperty("de_DE").GetInt64();
        var phoenix = TestFixtures.DataFile("phoenix2014t", "mbart-trimmed", MBartSentencePieceTokenizer.ModelFileName);
        var modelFile = Path.Combine(imported.Root, "fixture-spm", MBartSentencePieceTokenizer.ModelFileName);
        Directory.CreateDirectory(Path.GetDirectoryName(modelFile)!);
        File.WriteAllBytes(modelFile, new SentencePieceModelFile(File.ReadAllBytes(phoenix)).Keep(Enumerable.Range(0, vocab - 4).ToList()));
        var fixtureTokenizer = MBartSentencePieceTokenizer.FromModelFile(modelFile, "de_DE", ["de_DE", "zh_CN"]);
        Assert.Equal((vocab, languageId, vocab - 1L), (fixtureTokenizer.VocabularySize, (long)fixtureTokenizer.LanguageId, (long)fixtureTokenizer.MaskId));
        var tokenizerFolder = Path.Combine(imported.Root, "fixture-tokenizer");
        fixtureTokenizer.Save(tokenizerFolder);

        var folder = Path.Combine(imported.Root, "slt-with-tokenizer");
        var result = CliRunner.Run("import", "gfslt", "--checkpoint", ReferenceCheckpoints.PathOf("slt_best_checkpoint.pth"),
            "--out", folder, "--mbart-config", ReferenceCheckpoints.MytranConfig, "--tokenizer", tokenizerFolder);
        Assert.True(result.ExitCode == ExitCodes.Success, result.Stderr);
        Assert.DoesNotContain("warning", result.Stderr);

        using var scope = NewDisposeScope();
        var metadata = CheckpointStore.ReadMetadata(folder);
        var config = SignTranslate.Config.ConfigLoader.Parse<ExperimentConfig>(metadata.ConfigYaml, "meta.json");
        var tokenizer = CheckpointStore.ReadTokenizer(folder);
        Assert.Equal((vocab, languageId), (tokenizer.VocabularySize, (long)tokenizer.LanguageId));
        var model = new SltModel(config.Model.WithVocabulary(tokenizer.VocabularySize));
        SignTranslate.Checkpoints.WeightLoader.Load(model, CheckpointStore.ReadWeights(folder), strict: true);
        model.eval();
        var cases = ReferenceCheckpoints.StateDict(Cases);
        // "beam" is the run the checkpoints README names as train_slt.py evaluate()'s call; the start token comes from
        // the imported tokenizer, the rest of the settings from the recorded call.
        const string evalRun = "beam";
        var generated = model.Generate(cases["src.input_ids"], cases["src.src_length_batch"], cases["src.attention_mask"],
            ReferenceCheckpoints.GenerationOptionsOf(evalRun) with { DecoderStartTokenId = tokenizer.LanguageId });
        TensorAssert.Equal(cases[$"gen.{evalRun}.sequences"], tensor(generated.Sequences.SelectMany(r => r).ToArray(),
            new long[] { generated.Sequences.Length, generated.Sequences[0].Length }), evalRun);
        var expectedIds = cases[$"gen.{evalRun}.sequences"][0].data<long>().Select(id => (int)id).ToList();
        Assert.Equal(fixtureTokenizer.Decode(expectedIds), tokenizer.Decode(generated.Sequences[0].Select(id => (int)id)));
        Assert.NotEmpty(tokenizer.Decode(generated.Sequences[0].Select(id => (int)id)));
    }

    // A config.json of the fixture folder (path relative to it, as the JSON descriptions give it), read as plain JSON
    // so that the expected sizes do not go through the MBartOptions reader under test.
    private static JsonNode MBartConfigJson(string relative) =>
        JsonNode.Parse(File.ReadAllText(ReferenceCheckpoints.PathOf(relative.Split('/'))))!;

    private static int Int(JsonNode config, string name) => config[name]!.GetValue<int>();

    private static string Text(JsonNode config, string name) => config[name]!.GetValue<string>();
}
