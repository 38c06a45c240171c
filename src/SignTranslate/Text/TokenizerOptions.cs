using SignTranslate.Config;

namespace SignTranslate.Text;

/// <summary>Which tokenizer family turns text into ids.</summary>
public enum TokenizerKind
{
    /// <summary>The (trimmed) mBART SentencePiece model of GFSLT-VLP, with the HF mBART id layout.</summary>
    SentencePiece,

    /// <summary>tiktoken BPE via SharpToken, trimmed to the pieces of the training text.</summary>
    Tiktoken,

    /// <summary>One id per character of the training text (CSL-Daily).</summary>
    Characters,

    /// <summary>One id per whitespace-separated word of the training text.</summary>
    Words,
}

/// <summary>Tokenizer settings (YAML <c>data.tokenizer</c>).</summary>
public sealed record TokenizerOptions : IValidatableConfig
{
    /// <summary>Tokenizer family. Default <c>sentence_piece</c>, the reference's mBART tokenizer.</summary>
    public TokenizerKind Kind { get; init; } = TokenizerKind.SentencePiece;

    /// <summary>
    /// SentencePiece model file, relative to the config file's folder unless absolute. Default
    /// <c>sentencepiece.bpe.model</c>; for Phoenix-2014T point it at the trimmed mBART asset. Not empty with <c>sentence_piece</c>.
    /// </summary>
    public string ModelFile { get; init; } = MBartSentencePieceTokenizer.ModelFileName;

    /// <summary>SharpToken encoding for <c>tiktoken</c>: <c>cl100k_base</c> (default), <c>o200k_base</c>, <c>p50k_base</c>, <c>p50k_edit</c> or <c>r50k_base</c>.</summary>
    public string Encoding { get; init; } = "cl100k_base";

    /// <summary>Language code appended after <c>&lt;/s&gt;</c>: <c>de_DE</c> (default, Phoenix) or <c>zh_CN</c> (CSL-Daily); no spaces, and one of mBART-cc25's 25 codes with <c>sentence_piece</c>.</summary>
    public string Language { get; init; } = "de_DE";

    /// <summary>Longest id sequence, specials included; longer texts are truncated keeping <c>&lt;/s&gt;</c> and the language code; at least 2. Default 1024 (the reference).</summary>
    public int MaxLength { get; init; } = 1024;

    /// <summary>The encodings SharpToken ships (its <c>GptEncoding.GetEncoding</c> throws for any other name).</summary>
    public static IReadOnlyList<string> TiktokenEncodings { get; } = ["r50k_base", "p50k_base", "p50k_edit", "cl100k_base", "o200k_base"];

    public IEnumerable<ConfigProblem> Validate() => new ConfigChecks()
        .Defined("kind", Kind)
        // Only the SentencePiece tokenizer reads a model file; an empty name would resolve to the config folder.
        .Require(Kind != TokenizerKind.SentencePiece || !string.IsNullOrWhiteSpace(ModelFile), "model_file", $"must not be empty when kind is sentence_piece, got '{ModelFile}'")
        .OneOf("encoding", Encoding, TiktokenEncodings)
        .Require(Language.Length > 0 && !Language.Any(char.IsWhiteSpace), "language", $"must be a language code without spaces (e.g. de_DE), got '{Language}'")
        // The mBART SentencePiece ids end with mBART-cc25's 25 language codes; any other code has no id there.
        .Require(Kind != TokenizerKind.SentencePiece || Language.Length == 0 || MBartSentencePieceTokenizer.LanguageCodes.Contains(Language), "language",
            $"must be one of the mBART-cc25 codes when kind is sentence_piece ({string.Join(", ", MBartSentencePieceTokenizer.LanguageCodes)}), got '{Language}'")
        .Require(MaxLength >= 2, "max_length", $"must be at least 2 (</s> and the language code), got {MaxLength}");
}

/// <summary>Builds the configured tokenizer; trained vocabularies come from the training texts.</summary>
public static class TokenizerFactory
{
    /// <param name="options">The tokenizer settings.</param>
    /// <param name="baseFolder">Folder that relative file paths are resolved against (the config file's folder).</param>
    /// <param name="trainingTexts">The training split's texts; only read by kinds that build their vocabulary.</param>
    public static ITextTokenizer Create(TokenizerOptions options, string baseFolder, Func<IEnumerable<string>> trainingTexts) => options.Kind switch
    {
        TokenizerKind.SentencePiece => MBartSentencePieceTokenizer.FromModelFile(ResolveModelFile(options, baseFolder), options.Language),
        TokenizerKind.Tiktoken => TrimmedTiktokenTokenizer.Train(trainingTexts(), options.Encoding, options.Language),
        TokenizerKind.Characters => VocabularyTokenizer.TrainCharacters(trainingTexts(), options.Language),
        TokenizerKind.Words => VocabularyTokenizer.TrainWords(trainingTexts(), options.Language),
        _ => throw new ArgumentOutOfRangeException(nameof(options), options.Kind, "unknown tokenizer kind"),
    };

    private static string ResolveModelFile(TokenizerOptions options, string baseFolder)
    {
        var path = Path.GetFullPath(options.ModelFile, baseFolder);
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path}: SentencePiece model file not found (data.tokenizer.model_file)", path);
        return path;
    }
}
