using System.Text;

namespace SignTranslate.Text;

/// <summary>
/// A closed vocabulary of whitespace-separated words, or of characters (for Chinese, CSL-Daily), built from the
/// training text. Units are sorted ordinally, so the same corpus always gives the same ids whatever its order.
/// Character mode ignores whitespace and decodes without spaces; word mode decodes with single spaces.
/// </summary>
public sealed class VocabularyTokenizer : ITextTokenizer
{
    private readonly IReadOnlyList<string> _units;
    private readonly Dictionary<string, int> _ids;

    private VocabularyTokenizer(bool characters, IReadOnlyList<string> units, string language)
    {
        Characters = characters;
        _units = units;
        Language = language;
        _ids = new Dictionary<string, int>(units.Count, StringComparer.Ordinal);
        for (var i = 0; i < units.Count; i++)
            if (!_ids.TryAdd(units[i], SpecialIds.FirstUnit + i))
                throw new ArgumentException($"Duplicate vocabulary unit '{units[i]}'.", nameof(units));
    }

    /// <summary>Word vocabulary of <paramref name="corpus"/>.</summary>
    public static VocabularyTokenizer TrainWords(IEnumerable<string> corpus, string language) =>
        new(false, Collect(corpus, Words), language);

    /// <summary>Character vocabulary of <paramref name="corpus"/> (Unicode scalar values, whitespace excluded).</summary>
    public static VocabularyTokenizer TrainCharacters(IEnumerable<string> corpus, string language) =>
        new(true, Collect(corpus, CharacterUnits), language);

    public bool Characters { get; }
    public string Kind => Characters ? "characters" : "words";
    public string Language { get; }
    public int VocabularySize => SpecialIds.VocabularySize(_units.Count);
    public int BosId => SpecialIds.Bos;
    public int PadId => SpecialIds.Pad;
    public int EosId => SpecialIds.Eos;
    public int UnkId => SpecialIds.Unk;
    public int MaskId => SpecialIds.Mask(_units.Count);
    public int LanguageId => SpecialIds.Language(_units.Count);

    /// <summary>The units in id order (id = index + 4).</summary>
    public IReadOnlyList<string> Units => _units;

    public IReadOnlyList<int> Encode(string text)
    {
        var ids = new List<int>();
        foreach (var segment in MaskedText.Segments(text))
        {
            if (segment is null) { ids.Add(MaskId); continue; }
            foreach (var unit in Characters ? CharacterUnits(segment) : Words(segment))
                ids.Add(_ids.GetValueOrDefault(unit, UnkId));
        }
        ids.Add(EosId);
        ids.Add(LanguageId);
        return ids;
    }

    public string Decode(IEnumerable<int> ids)
    {
        var units = ids.Where(id => id >= SpecialIds.FirstUnit && id < SpecialIds.FirstUnit + _units.Count)
            .Select(id => _units[id - SpecialIds.FirstUnit]);
        return string.Join(Characters ? "" : " ", units);
    }

    public void Save(string folder) =>
        TokenizerStore.WriteManifest(folder, new TokenizerManifest { Kind = Kind, Language = Language, Tokens = _units });

    internal static VocabularyTokenizer Load(TokenizerManifest manifest) =>
        new(manifest.Kind == "characters", manifest.Tokens ?? [], manifest.Language);

    private static List<string> Collect(IEnumerable<string> corpus, Func<string, IEnumerable<string>> split)
    {
        var units = new HashSet<string>(StringComparer.Ordinal);
        foreach (var text in corpus)
            foreach (var segment in MaskedText.Segments(text))
                if (segment is not null)
                    units.UnionWith(split(segment));
        return units.Order(StringComparer.Ordinal).ToList();
    }

    private static IEnumerable<string> Words(string text) =>
        text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    private static IEnumerable<string> CharacterUnits(string text)
    {
        foreach (var rune in text.EnumerateRunes())
            if (!Rune.IsWhiteSpace(rune))
                yield return rune.ToString();
    }
}
