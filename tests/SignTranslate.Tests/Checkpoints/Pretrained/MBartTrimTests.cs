using System.Text.Json.Nodes;
using SignTranslate.Checkpoints;
using SignTranslate.Checkpoints.Pretrained;
using SignTranslate.Cli;
using SignTranslate.Data;
using SignTranslate.Models;
using SignTranslate.Tests.Cli;
using SignTranslate.Tests.Models;
using SignTranslate.Text;
using static TorchSharp.torch;

namespace SignTranslate.Tests.Checkpoints.Pretrained;

/// <summary>
/// <c>slt import mbart</c> on a tiny Hugging Face-format mBART built here (random weights, the Phoenix trimmed
/// SentencePiece model as its tokenizer) trimmed to a subset of the Phoenix dev sentences.
/// </summary>
public sealed class MBartTrimTests : IDisposable
{
    private const int SubsetSize = 24;
    private readonly string _root = Path.Combine(Path.GetTempPath(), "slt-mbart-trim-" + Guid.NewGuid().ToString("N"));
    private readonly string _source;
    private readonly IReadOnlyList<string> _subset;
    private readonly int _sourceVocabulary;

    public MBartTrimTests()
    {
        _source = Path.Combine(_root, "mbart");
        Directory.CreateDirectory(_source);
        var spm = TestFixtures.DataFile("phoenix2014t", "mbart-trimmed", MBartSentencePieceTokenizer.ModelFileName);
        File.Copy(spm, Path.Combine(_source, MBartSentencePieceTokenizer.ModelFileName));
        var vocab = _sourceVocabulary = MBartSentencePieceTokenizer.FromModelFile(spm, "de_DE").VocabularySize;
        File.WriteAllText(Path.Combine(_source, "config.json"), new JsonObject
        {
            ["_name_or_path"] = "tiny-test-mbart", ["vocab_size"] = vocab, ["d_model"] = 16, ["max_position_embeddings"] = 64,
            ["encoder_layers"] = 1, ["decoder_layers"] = 1, ["encoder_attention_heads"] = 2, ["decoder_attention_heads"] = 2,
            ["encoder_ffn_dim"] = 32, ["decoder_ffn_dim"] = 32, ["activation_function"] = "gelu", ["scale_embedding"] = true,
            ["tie_word_embeddings"] = true, ["pad_token_id"] = 1, ["bos_token_id"] = 0, ["eos_token_id"] = 2,
        }.ToJsonString());
        using (var scope = NewDisposeScope())
        {
            manual_seed(7);
            using var model = new MBartForConditionalGeneration(MBartOptions.FromConfigJson(Path.Combine(_source, "config.json")));
            var state = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value);
            state["final_logits_bias"] = randn(1, vocab);   // HF's is zero; random shows that it is sliced with the rows
            SafeTensorsFile.Save(Path.Combine(_source, "model.safetensors"), state);
        }
        _subset = LabelsFileReader.Read(TestFixtures.DataFile("phoenix2014t", "labels.dev")).Take(SubsetSize).Select(s => s.Text).ToList();
    }

    [Fact]
    public void TrimmedModelKeepsEveryKeptTokensEmbeddingRowAndLogitOnSentencesOfTheCorpus()
    {
        var trimmedFolder = Trim(_subset, "a");
        using var scope = NewDisposeScope();
        var map = MBartVocabularyTrim.ReadMap(trimmedFolder);
        var originalTokenizer = MBartSentencePieceTokenizer.FromModelFile(Path.Combine(_source, MBartSentencePieceTokenizer.ModelFileName), "de_DE");
        var trimmedTokenizer = TokenizerStore.Load(Path.Combine(trimmedFolder, "tokenizer"));
        Assert.Equal(map.VocabularySize, trimmedTokenizer.VocabularySize);
        // At least the 4 fairseq specials, mBART's 25 language codes, <mask> and some 20 pieces of the 24 sentences.
        Assert.InRange(map.VocabularySize, 4 + 25 + 1 + 20, originalTokenizer.VocabularySize - 1);
        Assert.Equal(0, map.SentencesEncodedDifferently);

        var original = LoadModel(_source);
        var trimmed = LoadModel(trimmedFolder);
        var index = tensor(map.OriginalIds.Select(i => (long)i).ToArray());
        var originalState = original.state_dict();
        var trimmedState = trimmed.state_dict();
        foreach (var key in new[] { "model.shared.weight", "model.encoder.embed_tokens.weight", "model.decoder.embed_tokens.weight", "lm_head.weight" })
            Assert.True(trimmedState[key].eq(originalState[key].index_select(0, index)).all().item<bool>(), key);
        Assert.True(trimmedState["final_logits_bias"].eq(originalState["final_logits_bias"].index_select(1, index)).all().item<bool>());
        Assert.True(trimmedState["model.encoder.embed_positions.weight"].eq(originalState["model.encoder.embed_positions.weight"]).all().item<bool>());

        using var noGrad = no_grad();
        foreach (var sentence in _subset)
        {
            var oldIds = originalTokenizer.Encode(sentence);
            var newIds = trimmedTokenizer.Encode(sentence);
            Assert.Equal(oldIds, newIds.Select(id => map.OriginalIds[id]));
            var oldLogits = Logits(original, oldIds);
            var newLogits = Logits(trimmed, newIds);
            TensorAssert.Close(oldLogits.index_select(2, index), newLogits, 1e-5, 1e-5, $"logits of '{sentence}'");
        }
    }

    [Fact]
    public void TheSameCorpusGivesTheSameVocabularyTwiceWhateverTheSentenceOrder()
    {
        var first = Trim(_subset, "first");
        var second = Trim(_subset.Reverse().ToList(), "second");
        Assert.Equal(MBartVocabularyTrim.ReadMap(first).OriginalIds, MBartVocabularyTrim.ReadMap(second).OriginalIds);
        foreach (var file in new[] { MBartSentencePieceTokenizer.ModelFileName, "config.json", "model.safetensors" })
            Assert.Equal(File.ReadAllBytes(Path.Combine(first, file)), File.ReadAllBytes(Path.Combine(second, file)));
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(first, "config.json")))!;
        Assert.Equal("tiny-test-mbart", config["_name_or_path"]!.GetValue<string>());
        Assert.Equal(MBartVocabularyTrim.ReadMap(first).VocabularySize, config["vocab_size"]!.GetValue<int>());
    }

    [Fact]
    public void TrimmedFolderInitialisesTheSltDecoderTablesAndTheVlpTextEncoder()
    {
        var folder = Trim(_subset, "init");
        using var scope = NewDisposeScope();
        var mbart = MBartOptions.FromConfigJson(Path.Combine(folder, "config.json"));
        var weights = SafeTensorsFile.Load(Path.Combine(folder, "model.safetensors"));
        var visual = new VisualBackboneOptions { FrameEncoder = FrameEncoderKind.SmallCnn, FrameFeatureSize = 8, SmallCnnWidth = 4, TemporalHiddenSize = mbart.DModel };

        var slt = new SltModel(new ModelOptions { Visual = visual, Mbart = MBartOptions.Mytran(mbart.VocabSize) with { DModel = 16, EncoderAttentionHeads = 2, DecoderAttentionHeads = 2, MaxPositionEmbeddings = 64 } });
        Assert.Equal(2, PretrainedWeights.ApplyMBart(slt, folder).Loaded.Count);
        var sltState = slt.state_dict();
        foreach (var key in new[] { "mbart.model.shared.weight", "mbart.model.encoder.embed_tokens.weight", "mbart.model.decoder.embed_tokens.weight" })
            Assert.True(sltState[key].eq(weights["model.decoder.embed_tokens.weight"]).all().item<bool>(), key);
        Assert.True(sltState["mbart.model.decoder.embed_positions.weight"].eq(weights["model.decoder.embed_positions.weight"]).all().item<bool>());

        var vlp = new VlpModel(new ModelOptions { Visual = visual, VisualEncoder = MBartOptions.Mytran(mbart.VocabSize) with { DModel = 16, EncoderAttentionHeads = 2, DecoderAttentionHeads = 2 }, TextEncoder = mbart });
        var report = PretrainedWeights.ApplyMBart(vlp, folder);
        Assert.Equal(vlp.Text.Encoder.state_dict().Count, report.Loaded.Count);
        Assert.True(vlp.state_dict()["model_txt.model_txt.layers.0.fc1.weight"].eq(weights["model.encoder.layers.0.fc1.weight"]).all().item<bool>());

        var wrongVocabulary = new SltModel(new ModelOptions { Visual = visual, Mbart = slt.Options.Mbart with { VocabSize = mbart.VocabSize + 1 } });
        Assert.Throws<InputException>(() => PretrainedWeights.ApplyMBart(wrongVocabulary, folder));
    }

    [Fact]
    public void WeightsSavedWithOnlyTheSharedTableAreTrimmedWithEveryTableSpelledOut()
    {
        var path = Path.Combine(_source, "model.safetensors");
        using (var scope = NewDisposeScope())
        {
            var full = SafeTensorsFile.Load(path);
            foreach (var tied in new[] { "model.encoder.embed_tokens.weight", "model.decoder.embed_tokens.weight", "lm_head.weight" })
                full.Remove(tied);
            SafeTensorsFile.Save(path, full);
        }
        var folder = Trim(_subset, "shared-only");
        using var check = NewDisposeScope();
        var trimmed = SafeTensorsFile.Load(Path.Combine(folder, "model.safetensors"));
        foreach (var tied in new[] { "model.encoder.embed_tokens.weight", "model.decoder.embed_tokens.weight", "lm_head.weight" })
            Assert.True(trimmed[tied].eq(trimmed["model.shared.weight"]).all().item<bool>(), tied);
        var model = new MBartForConditionalGeneration(MBartOptions.FromConfigJson(Path.Combine(folder, "config.json")));
        Assert.True(WeightLoader.Load(model, trimmed, strict: true).IsComplete);
    }

    [Fact]
    public void MismatchedConfigVocabularyIsAnInputError()
    {
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(_source, "config.json")))!;
        config["vocab_size"] = 1000;
        File.WriteAllText(Path.Combine(_source, "config.json"), config.ToJsonString());
        var text = Path.Combine(_root, "text.txt");
        File.WriteAllLines(text, _subset);
        var result = CliRunner.Run("import", "mbart", "--from", _source, "--train-text", text, "--lang", "de_DE", "--out", Path.Combine(_root, "bad"));
        Assert.Equal(ExitCodes.InputError, result.ExitCode);
        Assert.Contains("vocab_size 1000", result.Stderr);
    }

    private string Trim(IReadOnlyList<string> sentences, string name)
    {
        var text = Path.Combine(_root, name + ".txt");
        File.WriteAllLines(text, sentences);
        var output = Path.Combine(_root, name);
        var result = CliRunner.Run("import", "mbart", "--from", _source, "--train-text", text, "--lang", "de_DE", "--out", output);
        Assert.True(result.ExitCode == ExitCodes.Success, result.Stderr);
        Assert.Contains($"Trimmed mBART vocabulary: {_sourceVocabulary} -> ", result.Stdout);
        return output;
    }

    private static MBartForConditionalGeneration LoadModel(string folder)
    {
        var model = new MBartForConditionalGeneration(MBartOptions.FromConfigJson(Path.Combine(folder, "config.json")));
        WeightLoader.LoadSafeTensors(model, Path.Combine(folder, "model.safetensors"), strict: true);
        model.eval();
        return model;
    }

    // One sentence as encoder input and as labels: [1, L, V].
    private static Tensor Logits(MBartForConditionalGeneration model, IReadOnlyList<int> ids)
    {
        var input = tensor(ids.Select(i => (long)i).ToArray()).unsqueeze(0);
        return model.Forward(inputIds: input, attentionMask: ones_like(input), labels: input).Logits;
    }

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }
}
