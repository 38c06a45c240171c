namespace SignTranslate.Data.Synthetic;

/// <summary>One sentence of a sign language: the signed glosses in signing order and the spoken-language translation.</summary>
public sealed record SyntheticSentence(IReadOnlyList<string> Glosses, string Text)
{
    /// <summary>Space-separated glosses, the <c>gloss</c> field of a labels file.</summary>
    public string Gloss => string.Join(' ', Glosses);
}
