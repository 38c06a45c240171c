namespace SignTranslate.Text;

/// <summary>
/// Id layout of the tokenizers whose vocabulary is built from the training text: the four mBART specials first,
/// then the units, then the language code, then <c>&lt;mask&gt;</c>, so (as in mBART) the language code has the
/// largest id of any unmasked sentence.
/// </summary>
internal static class SpecialIds
{
    public const int Bos = 0;
    public const int Pad = 1;
    public const int Eos = 2;
    public const int Unk = 3;
    public const int FirstUnit = 4;

    public static int Language(int unitCount) => FirstUnit + unitCount;
    public static int Mask(int unitCount) => FirstUnit + unitCount + 1;
    public static int VocabularySize(int unitCount) => FirstUnit + unitCount + 2;
}
