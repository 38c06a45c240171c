using System.CommandLine;
using SignTranslate.Metrics;

namespace SignTranslate.Cli;

/// <summary>The text-handling options of every command that scores translations: <c>--tokenize</c>, <c>--lowercase</c>, <c>--char-split</c>.</summary>
public sealed class ScoringCliOptions
{
    private readonly Option<string> _tokenize = new("--tokenize")
    {
        Description = "sacreBLEU tokenizer for BLEU (ROUGE-L ignores it)",
        HelpName = string.Join('|', BleuTokenizers.Names),
        DefaultValueFactory = _ => BleuTokenizer.Mteval13a.Name(),
    };

    private readonly Option<bool> _lowercase = new("--lowercase") { Description = "Lowercase before BLEU (Python str.lower semantics)" };

    private readonly Option<bool> _charSplit = new("--char-split")
    {
        Description = "CSL-Daily preprocessing: split every line into code points joined by spaces, before every metric",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(_tokenize);
        command.Options.Add(_lowercase);
        command.Options.Add(_charSplit);
    }

    /// <exception cref="InputException">An unknown tokenizer name.</exception>
    public ScoringOptions Read(ParseResult parse)
    {
        var tokenizerName = parse.GetValue(_tokenize)!;
        if (!BleuTokenizers.TryParse(tokenizerName, out var tokenizer))
            throw new InputException($"--tokenize must be one of {string.Join(", ", BleuTokenizers.Names)}, not '{tokenizerName}'");
        return new ScoringOptions
        {
            Tokenize = tokenizer,
            Lowercase = parse.GetValue(_lowercase),
            CharSplit = parse.GetValue(_charSplit),
        };
    }
}
