namespace SignTranslate.Text;

/// <summary>
/// Text ↔ token ids, with the mBART layout every tokenizer here follows (docs/reference.md#s3): a sentence encodes to
/// its pieces followed by <c>&lt;/s&gt;</c> and the language code, with no BOS; padding uses <see cref="PadId"/>;
/// the literal word <c>&lt;mask&gt;</c> in the text encodes to <see cref="MaskId"/> (the masked text copy,
/// docs/reference.md#s4.6.3). A tokenizer saves its whole vocabulary into a folder so a checkpoint can carry it
/// (<see cref="TokenizerStore"/>).
/// </summary>
public interface ITextTokenizer
{
    /// <summary>The tokenizer family, as written in the saved <c>tokenizer.json</c> (e.g. <c>sentencepiece</c>).</summary>
    string Kind { get; }

    /// <summary>Language code appended after <c>&lt;/s&gt;</c>, e.g. <c>de_DE</c> or <c>zh_CN</c>.</summary>
    string Language { get; }

    /// <summary>Number of ids, i.e. the embedding rows a model needs.</summary>
    int VocabularySize { get; }

    int BosId { get; }
    int PadId { get; }
    int EosId { get; }
    int UnkId { get; }
    int MaskId { get; }

    /// <summary>Id of <see cref="Language"/>; the decoder starts from it.</summary>
    int LanguageId { get; }

    /// <summary>Ids of the sentence: pieces, then <see cref="EosId"/>, then <see cref="LanguageId"/>.</summary>
    IReadOnlyList<int> Encode(string text);

    /// <summary>
    /// Text of a whole id sequence, with every special id (pad, bos, eos, unk, mask, language codes) dropped. Always
    /// decode whole sequences: pieces of one character can span several ids.
    /// </summary>
    string Decode(IEnumerable<int> ids);

    /// <summary>Writes <c>tokenizer.json</c> (and any model file it names) into <paramref name="folder"/>.</summary>
    void Save(string folder);
}
