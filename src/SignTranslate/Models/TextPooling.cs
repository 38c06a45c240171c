namespace SignTranslate.Models;

/// <summary>Where the text encoder's sentence vector is read.</summary>
public enum TextPooling
{
    /// <summary>At the last non-pad token of each row (the language code). The corrected default (docs/reference.md#s11.23).</summary>
    LastNonPad,

    /// <summary>At argmax(input_ids), as the reference does; wrong once &lt;mask&gt; (a higher id) is in the row.</summary>
    ArgmaxId,
}
