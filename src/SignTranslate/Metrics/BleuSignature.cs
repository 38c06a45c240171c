namespace SignTranslate.Metrics;

/// <summary>
/// The sacreBLEU 2.2.0 signature of the scores SignTranslate computes, e.g.
/// <c>nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.2.0</c>. Only the settings sacreBLEU knows appear;
/// char-split preprocessing is reported separately.
/// </summary>
public static class BleuSignature
{
    /// <summary>The sacreBLEU version whose semantics the scores reproduce (the one GFSLT-VLP and SignCL pin).</summary>
    public const string SacreBleuVersion = "2.2.0";

    public static string For(BleuTokenizer tokenizer, bool lowercase) =>
        $"nrefs:1|case:{(lowercase ? "lc" : "mixed")}|eff:no|tok:{tokenizer.Name()}|smooth:exp|version:{SacreBleuVersion}";
}
