using System.Text.Json;
using System.Text.Json.Nodes;
using Serilog;
using SignTranslate.Files;
using SignTranslate.Text;
using static TorchSharp.torch;

namespace SignTranslate.Checkpoints.Pretrained;

/// <summary>What a trim kept: the new vocabulary size and, for every new id, the id it had in the original model.</summary>
public sealed record MBartTrimResult
{
    public const string MapFileName = "vocab_map.json";

    public required int OriginalVocabularySize { get; init; }
    public required int VocabularySize { get; init; }

    /// <summary>SentencePiece pieces kept (including unk, bos, eos).</summary>
    public required int PieceCount { get; init; }

    /// <summary>Entry i is the original HF id of new id i.</summary>
    public required IReadOnlyList<int> OriginalIds { get; init; }

    public required string Language { get; init; }

    /// <summary>Training sentences read, and how many encode differently after trimming (should be 0).</summary>
    public required int Sentences { get; init; }
    public required int SentencesEncodedDifferently { get; init; }
}

/// <summary>
/// <c>slt import mbart</c> (docs/reference.md#s3): trims a Hugging Face mBART folder (e.g.
/// <c>facebook/mbart-large-cc25</c>) to the SentencePiece pieces that occur in the training text, plus unk/bos/eos, the
/// language codes and <c>&lt;mask&gt;</c>. Kept pieces stay in their original order, so the same corpus always gives
/// the same ids. The token tables, LM head and <c>final_logits_bias</c> are sliced to the kept ids; everything else is
/// copied. The output folder is again an HF-style mBART folder (<c>config.json</c>, <c>model.safetensors</c>,
/// <c>sentencepiece.bpe.model</c>) plus <c>tokenizer/</c> (our tokenizer with the chosen language) and
/// <c>vocab_map.json</c> (new id → original id).
/// </summary>
public static class MBartVocabularyTrim
{
    private const int FairseqOffset = 1;
    private const int FairseqSpecials = 4;   // <s> <pad> </s> <unk>
    private static readonly string[] VocabularyRowKeys = ["shared.weight", "embed_tokens.weight", "lm_head.weight"];
    private const string LogitsBiasKey = "final_logits_bias";

    public static MBartTrimResult Trim(string fromFolder, IReadOnlyList<string> trainingText, string language, string outFolder)
    {
        var configPath = Path.Combine(fromFolder, "config.json");
        var modelPath = Path.Combine(fromFolder, MBartSentencePieceTokenizer.ModelFileName);
        foreach (var required in new[] { configPath, modelPath })
            if (!File.Exists(required))
                throw new InputException($"{fromFolder}: not a Hugging Face mBART folder ({Path.GetFileName(required)} is missing)");
        var config = ReadConfig(configPath);
        var originalVocab = config["vocab_size"]?.GetValue<int>() ?? throw new InputException($"{configPath}: no vocab_size");
        var modelBytes = UserFiles.ReadAllBytes(modelPath, "SentencePiece model");
        SentencePieceModelFile spm;
        MBartSentencePieceTokenizer original;
        try
        {
            spm = new SentencePieceModelFile(modelBytes);
            original = MBartSentencePieceTokenizer.FromModelFile(modelPath, language);
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException)
        {
            throw new InputException($"{modelPath}: {e.Message}", e);
        }
        if (original.VocabularySize != originalVocab)
            throw new InputException($"{fromFolder}: the SentencePiece model has {original.PieceCount} pieces, i.e. {original.VocabularySize} mBART ids, but config.json says vocab_size {originalVocab}");

        var keptPieces = KeptPieces(spm, original, trainingText);
        var originalIds = OriginalIds(keptPieces, original);
        var trimmedModel = spm.Keep(keptPieces);

        var weights = PretrainedWeights.ReadMBartWeights(fromFolder);
        // A tied LM head may be left out of the file as well; the trimmed folder spells every table out.
        if (config["tie_word_embeddings"]?.GetValue<bool>() != false && weights.TryGetValue("model.shared.weight", out var shared))
            weights.TryAdd("lm_head.weight", shared);
        var sliced = Slice(weights, originalIds, originalVocab);
        config["vocab_size"] = originalIds.Count;

        UserFiles.CreateDirectory(outFolder);
        UserFiles.WriteAllBytes(Path.Combine(outFolder, MBartSentencePieceTokenizer.ModelFileName), trimmedModel);
        var trimmed = MBartSentencePieceTokenizer.FromModelFile(Path.Combine(outFolder, MBartSentencePieceTokenizer.ModelFileName), language);
        if (trimmed.VocabularySize != originalIds.Count)
            throw new InvalidOperationException($"trimmed tokenizer has {trimmed.VocabularySize} ids, expected {originalIds.Count}");
        UserFiles.Write(Path.Combine(outFolder, "model.safetensors"), path => SafeTensorsFile.Save(path, sliced));
        UserFiles.WriteAllText(Path.Combine(outFolder, "config.json"), config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        trimmed.Save(Path.Combine(outFolder, "tokenizer"));

        var result = new MBartTrimResult
        {
            OriginalVocabularySize = originalVocab,
            VocabularySize = originalIds.Count,
            PieceCount = keptPieces.Count,
            OriginalIds = originalIds,
            Language = language,
            Sentences = trainingText.Count,
            SentencesEncodedDifferently = CountChangedEncodings(original, trimmed, originalIds, trainingText),
        };
        UserFiles.WriteAllText(Path.Combine(outFolder, MBartTrimResult.MapFileName),
            JsonSerializer.Serialize(result, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }));
        // Tied names share one tensor (Tensor.Equals compares values, so dedupe by reference).
        foreach (var t in new HashSet<Tensor>(weights.Values.Concat(sliced.Values), ReferenceEqualityComparer.Instance)) t.Dispose();
        if (result.SentencesEncodedDifferently > 0)
            Log.Warning("{Count} training sentences segment differently after trimming (tied Unigram scores)", result.SentencesEncodedDifferently);
        return result;
    }

    /// <summary>Reads the vocabulary map written beside a trimmed model.</summary>
    public static MBartTrimResult ReadMap(string folder) =>
        JsonSerializer.Deserialize<MBartTrimResult>(File.ReadAllText(Path.Combine(folder, MBartTrimResult.MapFileName)),
            new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower })
        ?? throw new InvalidDataException($"{folder}: empty {MBartTrimResult.MapFileName}");

    // Ascending SentencePiece ids: every non-normal piece (unk, bos, eos, …) and every piece the corpus uses.
    private static List<int> KeptPieces(SentencePieceModelFile spm, MBartSentencePieceTokenizer tokenizer, IEnumerable<string> text)
    {
        var kept = new SortedSet<int>();
        for (var id = 0; id < spm.PieceCount; id++)
            if (spm.TypeOf(id) != SentencePieceType.Normal) kept.Add(id);
        foreach (var sentence in text)
            foreach (var segment in MaskedText.Segments(sentence))
                if (segment is not null)
                    kept.UnionWith(tokenizer.EncodeRaw(segment).Ids);
        return kept.ToList();
    }

    // HF layout: the four fairseq specials, spm piece k ≥ 3 at k + 1, the language codes, <mask>.
    private static List<int> OriginalIds(IReadOnlyList<int> keptPieces, MBartSentencePieceTokenizer original)
    {
        var ids = Enumerable.Range(0, FairseqSpecials).ToList();
        ids.AddRange(keptPieces.Where(k => k >= FairseqSpecials - FairseqOffset).Select(k => k + FairseqOffset));
        ids.AddRange(original.Languages.Select(original.LanguageCodeId));
        ids.Add(original.MaskId);
        return ids;
    }

    private static Dictionary<string, Tensor> Slice(Dictionary<string, Tensor> weights, IReadOnlyList<int> originalIds, int originalVocab)
    {
        using var index = tensor(originalIds.Select(i => (long)i).ToArray());
        var result = new Dictionary<string, Tensor>();
        foreach (var (key, value) in weights)
        {
            var rows = VocabularyRowKeys.Any(k => key.EndsWith(k, StringComparison.Ordinal));
            if (rows && value.shape[0] != originalVocab || key.EndsWith(LogitsBiasKey, StringComparison.Ordinal) && value.shape[^1] != originalVocab)
                throw new InputException($"{key} has shape [{string.Join(",", value.shape)}], which does not match vocab_size {originalVocab}");
            result[key] = rows ? value.index_select(0, index)
                : key.EndsWith(LogitsBiasKey, StringComparison.Ordinal) ? value.index_select(value.dim() - 1, index)
                : value.clone();
        }
        return result;
    }

    private static int CountChangedEncodings(MBartSentencePieceTokenizer original, MBartSentencePieceTokenizer trimmed, IReadOnlyList<int> originalIds, IEnumerable<string> text) =>
        text.Count(sentence => !trimmed.Encode(sentence).Select(id => originalIds[id]).SequenceEqual(original.Encode(sentence)));

    private static JsonObject ReadConfig(string path)
    {
        try
        {
            return JsonNode.Parse(UserFiles.ReadAllText(path, "mBART config.json")) as JsonObject ?? throw new InputException($"{path}: not a JSON object");
        }
        catch (JsonException e)
        {
            throw new InputException($"{path}: invalid JSON ({e.Message})", e);
        }
    }
}
