using Microsoft.ML.Tokenizers;
using SignTranslate.Files;

namespace SignTranslate.Text;

/// <summary>
/// The mBART SentencePiece tokenizer of GFSLT-VLP (docs/reference.md#s3): a (trimmed) SentencePiece model with the HF
/// MBartTokenizer id layout. <c>&lt;s&gt;</c>=0, <c>&lt;pad&gt;</c>=1, <c>&lt;/s&gt;</c>=2, <c>&lt;unk&gt;</c>=3,
/// SentencePiece piece k≥3 → k+1 (the fairseq offset), then the 25 language codes in fairseq order, then
/// <c>&lt;mask&gt;</c> as the last id. For the Phoenix trim (2427 pieces) that gives de_DE = 2430 and V = 2454.
/// </summary>
public sealed class MBartSentencePieceTokenizer : ITextTokenizer
{
    public const string ModelFileName = "sentencepiece.bpe.model";

    /// <summary>The mBART-cc25 language codes in fairseq order.</summary>
    public static readonly IReadOnlyList<string> LanguageCodes =
    [
        "ar_AR", "cs_CZ", "de_DE", "en_XX", "es_XX", "et_EE", "fi_FI", "fr_XX", "gu_IN", "hi_IN", "it_IT", "ja_XX", "kk_KZ",
        "ko_KR", "lt_LT", "lv_LV", "my_MM", "ne_NP", "nl_XX", "ro_RO", "ru_RU", "si_LK", "tr_TR", "vi_VN", "zh_CN",
    ];

    private const int FairseqOffset = 1;
    private const int SpmUnknownId = 0;
    private readonly SentencePieceTokenizer _model;
    private readonly byte[] _modelBytes;
    private readonly int _pieceCount;

    private MBartSentencePieceTokenizer(byte[] modelBytes, string language, IReadOnlyList<string>? languageCodes = null)
    {
        Languages = languageCodes ?? LanguageCodes;
        if (!Languages.Contains(language))
            throw new ArgumentException($"Unknown mBART language code '{language}' (expected one of {string.Join(", ", Languages)}).", nameof(language));
        if (Languages.Distinct(StringComparer.Ordinal).Count() != Languages.Count)
            throw new ArgumentException("Duplicate language codes.", nameof(languageCodes));
        _modelBytes = modelBytes;
        using var stream = new MemoryStream(modelBytes, writable: false);
        _model = SentencePieceTokenizer.Create(stream, addBeginningOfSentence: false, addEndOfSentence: false);
        _pieceCount = _model.Vocabulary.Count;
        Language = language;
        LanguageId = LanguageCodeId(language);
        MaskId = _pieceCount + FairseqOffset + Languages.Count;
    }

    /// <summary>Loads a SentencePiece model file (e.g. <c>mbart-trimmed/sentencepiece.bpe.model</c>).</summary>
    public static MBartSentencePieceTokenizer FromModelFile(string modelFile, string language) =>
        new(UserFiles.ReadAllBytes(modelFile, "SentencePiece model"), language);

    /// <summary>
    /// A model file whose ids are followed by other language codes than mBART-cc25's 25 (e.g. the reduced reference
    /// fixtures, which keep only de_DE and zh_CN).
    /// </summary>
    public static MBartSentencePieceTokenizer FromModelFile(string modelFile, string language, IReadOnlyList<string> languageCodes) =>
        new(UserFiles.ReadAllBytes(modelFile, "SentencePiece model"), language, languageCodes);

    /// <summary>The language codes that follow the pieces, in id order (<see cref="LanguageCodes"/> unless given).</summary>
    public IReadOnlyList<string> Languages { get; }

    public string Kind => "sentencepiece";
    public string Language { get; }
    public int VocabularySize => MaskId + 1;
    public int BosId => 0;
    public int PadId => 1;
    public int EosId => 2;
    public int UnkId => 3;
    public int MaskId { get; }
    public int LanguageId { get; }

    /// <summary>Number of pieces in the SentencePiece model (including its own unk/bos/eos).</summary>
    public int PieceCount => _pieceCount;

    public int LanguageCodeId(string code)
    {
        var index = Languages.ToList().IndexOf(code);
        if (index < 0) throw new ArgumentException($"Unknown mBART language code '{code}'.", nameof(code));
        return _pieceCount + FairseqOffset + index;
    }

    /// <summary>
    /// Raw SentencePiece ids and surface pieces, as the reference <c>sentencepiece</c> library returns them. A run of
    /// unknown characters becomes one unknown piece there, whereas Microsoft.ML.Tokenizers emits one per character,
    /// so consecutive unknowns are merged here.
    /// </summary>
    public (IReadOnlyList<string> Pieces, IReadOnlyList<int> Ids) EncodeRaw(string text)
    {
        var pieces = new List<string>();
        var ids = new List<int>();
        foreach (var token in _model.EncodeToTokens(text, out _, addBeginningOfSentence: false, addEndOfSentence: false))
        {
            if (token.Id == SpmUnknownId && ids.Count > 0 && ids[^1] == SpmUnknownId)
            {
                pieces[^1] += token.Value;
                continue;
            }
            pieces.Add(token.Value);
            ids.Add(token.Id);
        }
        return (pieces, ids);
    }

    public IReadOnlyList<int> Encode(string text)
    {
        var ids = new List<int>();
        foreach (var segment in MaskedText.Segments(text))
        {
            if (segment is null) { ids.Add(MaskId); continue; }
            foreach (var spmId in EncodeRaw(segment).Ids)
                ids.Add(spmId == SpmUnknownId ? UnkId : spmId + FairseqOffset);
        }
        ids.Add(EosId);
        ids.Add(LanguageId);
        return ids;
    }

    public string Decode(IEnumerable<int> ids)
    {
        // Only real pieces map back; specials, unk, mask and language codes are dropped as HF skip_special_tokens does.
        var spmIds = ids.Where(id => id > UnkId && id < _pieceCount + FairseqOffset).Select(id => id - FairseqOffset);
        return _model.Decode(spmIds);
    }

    public void Save(string folder)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, ModelFileName), _modelBytes);
        TokenizerStore.WriteManifest(folder, new TokenizerManifest
        {
            Kind = Kind, Language = Language, Model = ModelFileName,
            LanguageCodes = ReferenceEquals(Languages, LanguageCodes) ? null : Languages,
        });
    }

    internal static MBartSentencePieceTokenizer Load(string folder, TokenizerManifest manifest)
    {
        // The manifest is a file of the checkpoint, not of slt: its model name must stay a file beside it.
        var model = manifest.Model ?? ModelFileName;
        if (PathsFromData.Problem(model, singleSegment: true) is { } problem)
            throw new InvalidDataException($"{Path.Combine(folder, TokenizerStore.ManifestFileName)}: model '{model}' {problem}");
        return new(UserFiles.ReadAllBytes(Path.Combine(folder, model), "SentencePiece model"), manifest.Language, manifest.LanguageCodes);
    }
}
