using SignTranslate.Decoding;
using SignTranslate.Models;
using SignTranslate.Models.Pretrained;
using SignTranslate.Tests.Cli;
using SignTranslate.Text;
using SignTranslate.Training.Checkpoints;
using static TorchSharp.torch;

namespace SignTranslate.Tests.Models.Pretrained;

/// <summary>
/// <c>slt import gfslt</c> on the reference checkpoints: the imported SLT checkpoint reproduces every recorded output
/// of <c>slt_cases.safetensors</c> (one theory row per output tensor and per generation run), and the imported VLP
/// checkpoint holds the reference tensors unchanged and initialises finetuning like the reference file.
/// </summary>
[Collection(ImportedCheckpointCollection.Name)]
public class GfsltImportTests(ImportedCheckpointFixture imported)
{
    private const double Tolerance = 1e-4;   // the README's tolerance for slt_cases outputs
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
        Assert.True(imported.SltImport.ExitCode == 0, imported.SltImport.Stderr);
        Assert.Contains("model: loaded 240, missing 0, unexpected 0, shape-mismatched 0", imported.SltImport.Stdout);
        Assert.Contains("no --tokenizer given", imported.SltImport.Stderr);
        Assert.Equal("finetune", imported.Metadata!.Stage);
        var mbart = imported.Config!.Model.Mbart;
        Assert.Equal((32, 60, 160, 2, 2, 64, 4, "relu", false), (mbart.DModel, mbart.VocabSize, mbart.MaxPositionEmbeddings, mbart.EncoderLayers,
            mbart.DecoderLayers, mbart.EncoderFfnDim, mbart.EncoderAttentionHeads, mbart.ActivationFunction, mbart.TieWordEmbeddings));
        Assert.Equal((512, 32, 1.0), (imported.Config.Model.Visual.FrameFeatureSize, imported.Config.Model.Visual.TemporalHiddenSize, imported.Config.Model.Visual.FeaturePadValue));
        Assert.Equal(240, imported.SltLoad!.Loaded.Count);
    }

    [Theory]
    [MemberData(nameof(ForwardCases))]
    public void ImportedSltCheckpointReproducesTheForwardOutput(string output)
    {
        Assert.True(imported.SltImport.ExitCode == 0, imported.SltImport.Stderr);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var cases = ReferenceCheckpoints.StateDict(Cases);
        var model = imported.Slt!;
        var (embeds, visual) = model.Embed(cases["src.input_ids"], cases["src.src_length_batch"]);
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
        TensorAssert.Close(cases[output], actual, Tolerance, Tolerance, output);
    }

    [Theory]
    [MemberData(nameof(GenerationRuns))]
    public void ImportedSltCheckpointReproducesTheGeneration(string run)
    {
        Assert.True(imported.SltImport.ExitCode == 0, imported.SltImport.Stderr);
        using var scope = NewDisposeScope();
        var cases = ReferenceCheckpoints.StateDict(Cases);
        var expected = cases[$"gen.{run}.sequences"];
        var beams = cases.ContainsKey($"gen.{run}.sequences_scores") ? 4 : 1;    // slt_cases: beam runs carry scores
        var maxNew = run.EndsWith("_max4", StringComparison.Ordinal) ? 4 : 150;
        var result = imported.Slt!.Generate(cases["src.input_ids"], cases["src.src_length_batch"], cases["src.attention_mask"],
            new GenerationOptions { DecoderStartTokenId = 57, NumBeams = beams, MaxNewTokens = maxNew });
        TensorAssert.Equal(expected, tensor(result.Sequences.SelectMany(r => r).ToArray(), new long[] { result.Sequences.Length, result.Sequences[0].Length }), run);
        if (beams > 1)
            TensorAssert.Close(cases[$"gen.{run}.sequences_scores"], tensor(result.SequenceScores!.Select(s => (float)s).ToArray()), 1e-5, 0, $"{run} scores");
    }

    [Fact]
    public void VlpImportKeepsTheReferenceTensorsUnderTheirKeys()
    {
        Assert.True(imported.VlpImport.ExitCode == 0, imported.VlpImport.Stderr);
        var metadata = CheckpointStore.ReadMetadata(imported.VlpFolder);
        Assert.Equal("pretrain", metadata.Stage);
        var model = SignTranslate.Config.ConfigLoader.Parse<SignTranslate.Config.ExperimentConfig>(metadata.ConfigYaml, "meta.json").Model;
        Assert.Equal((2, 4, "relu", 2, 2), (model.VisualEncoder.EncoderLayers, model.VisualEncoder.EncoderAttentionHeads, model.VisualEncoder.ActivationFunction,
            model.VisualEncoder.DecoderLayers, model.TextEncoder.EncoderLayers));
        Assert.Equal((4, "gelu", true, TextPooling.ArgmaxId), (model.TextEncoder.EncoderAttentionHeads, model.TextEncoder.ActivationFunction, model.TextEncoder.TieWordEmbeddings, model.TextPooling));
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
        Assert.True(imported.VlpImport.ExitCode == 0, imported.VlpImport.Stderr);
        using var scope = NewDisposeScope();
        var fromFile = new SltModel(ReferenceCheckpoints.SltOptions());
        var fromFolder = new SltModel(ReferenceCheckpoints.SltOptions());
        fromFolder.load_state_dict(fromFile.state_dict());   // same fresh values, so every key must agree afterwards
        var options = new VlpTransferOptions();
        var fileReport = VlpToSltTransfer.LoadInit(fromFile, ReferenceCheckpoints.PathOf("vlp_checkpoint.pth"), options, ReferenceCheckpoints.MBartTrimmedFolder);
        var folderReport = VlpToSltTransfer.LoadInit(fromFolder, imported.VlpFolder, options, ReferenceCheckpoints.MBartTrimmedFolder);
        Assert.Equal(230, fileReport.Loaded.Count);
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
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("config.json", result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
    }

    [Fact]
    public void TokenizerWhoseVocabularyDiffersFromTheCheckpointsIsAnInputError()
    {
        var spm = TestFixtures.DataFile("phoenix2014t", "mbart-trimmed", "sentencepiece.bpe.model");
        var result = CliRunner.Run("import", "gfslt", "--checkpoint", ReferenceCheckpoints.PathOf("slt_best_checkpoint.pth"),
            "--out", Path.Combine(imported.Root, "wrong-tokenizer"), "--tokenizer", spm, "--lang", "de_DE");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("the tokenizer has 2454 ids but the checkpoint's vocabulary has 60", result.Stderr);
        Assert.False(Directory.Exists(Path.Combine(imported.Root, "wrong-tokenizer")));
    }

    [Fact]
    public void VlpTextDecoderSavedWithoutItsDdpPrefixImportsUnderThePrefix()
    {
        using var scope = NewDisposeScope();
        var path = Path.Combine(imported.Root, "vlp-no-ddp.pth");
        var decoder = ReferenceCheckpoints.StateDict("vlp_checkpoint.pth", "text_decoder");
        SignTranslate.Models.Checkpoints.PyTorchFileWriter.Save(path, [
            KeyValuePair.Create("model", (object)ReferenceCheckpoints.StateDict("vlp_checkpoint.pth", "model")),
            KeyValuePair.Create("text_decoder", (object)decoder.ToDictionary(kv => kv.Key["module.".Length..], kv => kv.Value)),
        ]);
        var result = GfsltCheckpointImport.Read(path, GfsltCheckpointStage.Vlp, MBartOptions.FromConfigJson(ReferenceCheckpoints.MytranConfig));
        Assert.Equal(60, result.Reports.Single(r => r.Part == "text_decoder").Report.Loaded.Count);
        foreach (var (key, value) in decoder)
            Assert.True(result.Weights[key].eq(value).all().item<bool>(), key);
    }

    [Fact]
    public void SltImportWithAMatchingTokenizerLoadsAndTranslatesTheWayEvalDoes()
    {
        // The fixtures' id layout: 4 specials, 53 pieces, de_DE = 57, zh_CN = 58, <mask> = 59. A Phoenix SentencePiece
        // model cut to its first 56 pieces with those two language codes has exactly that layout.
        var phoenix = TestFixtures.DataFile("phoenix2014t", "mbart-trimmed", MBartSentencePieceTokenizer.ModelFileName);
        var modelFile = Path.Combine(imported.Root, "fixture-spm", MBartSentencePieceTokenizer.ModelFileName);
        Directory.CreateDirectory(Path.GetDirectoryName(modelFile)!);
        File.WriteAllBytes(modelFile, new SentencePieceModelFile(File.ReadAllBytes(phoenix)).Keep(Enumerable.Range(0, 56).ToList()));
        var fixtureTokenizer = MBartSentencePieceTokenizer.FromModelFile(modelFile, "de_DE", ["de_DE", "zh_CN"]);
        Assert.Equal((60, 57, 59), (fixtureTokenizer.VocabularySize, fixtureTokenizer.LanguageId, fixtureTokenizer.MaskId));
        var tokenizerFolder = Path.Combine(imported.Root, "fixture-tokenizer");
        fixtureTokenizer.Save(tokenizerFolder);

        var folder = Path.Combine(imported.Root, "slt-with-tokenizer");
        var result = CliRunner.Run("import", "gfslt", "--checkpoint", ReferenceCheckpoints.PathOf("slt_best_checkpoint.pth"),
            "--out", folder, "--mbart-config", ReferenceCheckpoints.MytranConfig, "--tokenizer", tokenizerFolder);
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.DoesNotContain("warning", result.Stderr);

        using var scope = NewDisposeScope();
        var metadata = CheckpointStore.ReadMetadata(folder);
        var config = SignTranslate.Config.ConfigLoader.Parse<SignTranslate.Config.ExperimentConfig>(metadata.ConfigYaml, "meta.json");
        var tokenizer = CheckpointStore.ReadTokenizer(folder);
        Assert.Equal((60, 57), (tokenizer.VocabularySize, tokenizer.LanguageId));
        var model = new SltModel(config.Model.ForSlt(tokenizer.VocabularySize));
        SignTranslate.Models.Checkpoints.WeightLoader.Load(model, CheckpointStore.ReadWeights(folder), strict: true);
        model.eval();
        var cases = ReferenceCheckpoints.StateDict(Cases);
        var generated = model.Generate(cases["src.input_ids"], cases["src.src_length_batch"], cases["src.attention_mask"],
            new GenerationOptions { DecoderStartTokenId = tokenizer.LanguageId, NumBeams = 4, MaxNewTokens = 150 });
        TensorAssert.Equal(cases["gen.beam.sequences"], tensor(generated.Sequences.SelectMany(r => r).ToArray(),
            new long[] { generated.Sequences.Length, generated.Sequences[0].Length }), "beam");
        var expectedIds = cases["gen.beam.sequences"][0].data<long>().Select(id => (int)id).ToList();
        Assert.Equal(fixtureTokenizer.Decode(expectedIds), tokenizer.Decode(generated.Sequences[0].Select(id => (int)id)));
        Assert.NotEmpty(tokenizer.Decode(generated.Sequences[0].Select(id => (int)id)));
    }
}
