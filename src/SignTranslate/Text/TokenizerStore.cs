using System.Text.Json;
using System.Text.Json.Serialization;
using SignTranslate.Files;

namespace SignTranslate.Text;

/// <summary>What <c>tokenizer.json</c> holds: enough to rebuild any tokenizer exactly, ids included.</summary>
public sealed record TokenizerManifest
{
    public required string Kind { get; init; }
    public required string Language { get; init; }

    /// <summary>SentencePiece: the model file beside the manifest.</summary>
    public string? Model { get; init; }

    /// <summary>SentencePiece: the language codes after the pieces when they are not mBART-cc25's 25 (absent otherwise).</summary>
    public IReadOnlyList<string>? LanguageCodes { get; init; }

    /// <summary>tiktoken: the SharpToken encoding name.</summary>
    public string? Encoding { get; init; }

    /// <summary>Trained vocabularies: the units (words, characters) in id order, from id 4 on.</summary>
    public IReadOnlyList<string>? Tokens { get; init; }

    /// <summary>tiktoken: the base-encoding ids kept by the trim, in id order, from id 4 on.</summary>
    public IReadOnlyList<int>? BaseIds { get; init; }
}

/// <summary>Saves and reloads tokenizers as a folder with <c>tokenizer.json</c>, e.g. inside a checkpoint.</summary>
public static class TokenizerStore
{
    public const string ManifestFileName = "tokenizer.json";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static ITextTokenizer Load(string folder)
    {
        var path = Path.Combine(folder, ManifestFileName);
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path}: tokenizer manifest not found", path);
        var manifest = JsonSerializer.Deserialize<TokenizerManifest>(UserFiles.ReadAllText(path, "tokenizer manifest"), Json)
            ?? throw new InvalidDataException($"{path}: empty tokenizer manifest");
        return manifest.Kind switch
        {
            "sentencepiece" => MBartSentencePieceTokenizer.Load(folder, manifest),
            "tiktoken" => TrimmedTiktokenTokenizer.Load(manifest),
            "words" => VocabularyTokenizer.Load(manifest),
            "characters" => VocabularyTokenizer.Load(manifest),
            _ => throw new InvalidDataException($"{path}: unknown tokenizer kind '{manifest.Kind}' (expected sentencepiece, tiktoken, words or characters)"),
        };
    }

    internal static void WriteManifest(string folder, TokenizerManifest manifest)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, ManifestFileName), JsonSerializer.Serialize(manifest, Json));
    }
}
