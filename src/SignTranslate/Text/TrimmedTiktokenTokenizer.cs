using SharpToken;

namespace SignTranslate.Text;

/// <summary>
/// tiktoken BPE (SharpToken, e.g. <c>cl100k_base</c> or <c>o200k_base</c>) with the vocabulary trimmed to the
/// base tokens that occur in the training text, as the mBART vocabulary was trimmed for GFSLT-VLP. Kept base ids
/// are sorted ascending, so the same corpus always gives the same ids. Base tokens outside the trim encode to unk.
/// Decoding maps back to base ids and decodes the whole sequence at once (one base token can be part of a UTF-8
/// character, and per-token decoding would give U+FFFD).
/// </summary>
public sealed class TrimmedTiktokenTokenizer : ITextTokenizer
{
    // Loading an encoding takes hundreds of milliseconds and the result is immutable, so share it.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, GptEncoding> Encodings = new();
    private readonly GptEncoding _encoding;
    private readonly IReadOnlyList<int> _baseIds;
    private readonly Dictionary<int, int> _ids;

    private TrimmedTiktokenTokenizer(string encodingName, IReadOnlyList<int> baseIds, string language)
    {
        EncodingName = encodingName;
        _encoding = Encodings.GetOrAdd(encodingName, GptEncoding.GetEncoding);
        _baseIds = baseIds;
        Language = language;
        _ids = new Dictionary<int, int>(baseIds.Count);
        for (var i = 0; i < baseIds.Count; i++)
            if (!_ids.TryAdd(baseIds[i], SpecialIds.FirstUnit + i))
                throw new ArgumentException($"Duplicate base id {baseIds[i]}.", nameof(baseIds));
    }

    /// <summary>Trims <paramref name="encodingName"/> to the base tokens of <paramref name="corpus"/>.</summary>
    public static TrimmedTiktokenTokenizer Train(IEnumerable<string> corpus, string encodingName, string language)
    {
        var encoding = Encodings.GetOrAdd(encodingName, GptEncoding.GetEncoding);
        var used = new HashSet<int>();
        foreach (var text in corpus)
            foreach (var segment in MaskedText.Segments(text))
                if (segment is not null)
                    used.UnionWith(encoding.Encode(segment));
        return new TrimmedTiktokenTokenizer(encodingName, used.Order().ToList(), language);
    }

    public string EncodingName { get; }
    public string Kind => "tiktoken";
    public string Language { get; }
    public int VocabularySize => SpecialIds.VocabularySize(_baseIds.Count);
    public int BosId => SpecialIds.Bos;
    public int PadId => SpecialIds.Pad;
    public int EosId => SpecialIds.Eos;
    public int UnkId => SpecialIds.Unk;
    public int MaskId => SpecialIds.Mask(_baseIds.Count);
    public int LanguageId => SpecialIds.Language(_baseIds.Count);

    /// <summary>The kept base-encoding ids in id order (id = index + 4).</summary>
    public IReadOnlyList<int> BaseIds => _baseIds;

    public IReadOnlyList<int> Encode(string text)
    {
        var ids = new List<int>();
        foreach (var segment in MaskedText.Segments(text))
        {
            if (segment is null) { ids.Add(MaskId); continue; }
            foreach (var baseId in _encoding.Encode(segment))
                ids.Add(_ids.GetValueOrDefault(baseId, UnkId));
        }
        ids.Add(EosId);
        ids.Add(LanguageId);
        return ids;
    }

    public string Decode(IEnumerable<int> ids)
    {
        var baseIds = ids.Where(id => id >= SpecialIds.FirstUnit && id < SpecialIds.FirstUnit + _baseIds.Count)
            .Select(id => _baseIds[id - SpecialIds.FirstUnit]).ToList();
        return baseIds.Count == 0 ? "" : _encoding.Decode(baseIds);
    }

    public void Save(string folder) => TokenizerStore.WriteManifest(folder,
        new TokenizerManifest { Kind = Kind, Language = Language, Encoding = EncodingName, BaseIds = _baseIds });

    internal static TrimmedTiktokenTokenizer Load(TokenizerManifest manifest) =>
        new(manifest.Encoding ?? throw new InvalidDataException("tiktoken tokenizer manifest lacks 'encoding'"),
            manifest.BaseIds ?? [], manifest.Language);
}
