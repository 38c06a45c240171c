using SignTranslate.Config;

namespace SignTranslate.Losses;

/// <summary>Which frame-level contrastive objective is added to the training loss.</summary>
public enum SignClVariant
{
    /// <summary>SignCL as coded: L1 distances, softplus margins around <see cref="SignClOptions.MaxDistance"/>.</summary>
    SignCl,

    /// <summary>SignInfoNCE (docs/reference.md#s6.6): dot-product logits over [positives; negatives] divided by a temperature.</summary>
    InfoNce,
}

/// <summary>
/// How the negative-sampling margin m is derived from a clip (docs/reference.md#s6.2). Negatives must lie more than m
/// frames from the anchor.
/// </summary>
public enum SignClMarginRule
{
    /// <summary>
    /// The released training scripts (VLP, CSL, DSL): m = 2·max(10, ⌊(⌊T/L⌋ + 1)·2.3⌋), then m = min(m, ⌊(T − 30)/2⌋)
    /// with truncation toward zero; T = padded frame count, L = padded token count (with <c>&lt;/s&gt;</c> and lang code).
    /// </summary>
    TrainingScript,

    /// <summary>Paper §4.1: m = max(10, F/L·2.3) and negatives need |Δ| &gt; 2m, so the effective margin is ⌊2m⌋.</summary>
    Paper,

    /// <summary>SignCL README usage (step 2): m = min(20, max(10, ⌊(F // L)·2.3⌋)), always in 10..20.</summary>
    ReadmeUsage,

    /// <summary>SignCL README example A: m = min(20, 2·max(10, ⌊(F // L)·2.3⌋)), which is always 20.</summary>
    ReadmeExample,

    /// <summary>A constant margin, <see cref="SignClOptions.FixedMargin"/> (the <c>SignCL.py</c> default argument is 20).</summary>
    Fixed,
}

/// <summary>
/// Settings of the SignCL frame-contrastive loss and of how the trainer applies it. The defaults are the corrected
/// behaviour for items 1–8 of docs/reference.md#s11; each switch names the reference quirk it can reproduce.
/// </summary>
public sealed record SignClOptions : IValidatableConfig
{
    /// <summary>Add the SignCL term in the stage being run (λ = <see cref="LambdaPretrain"/> or
    /// <see cref="LambdaFinetune"/>). Default false: plain GFSLT-VLP has no SignCL term.</summary>
    public bool Enabled { get; init; }

    /// <summary>Contrastive objective: <see cref="SignClVariant.SignCl"/> (default, used by every released script) or
    /// <see cref="SignClVariant.InfoNce"/> (commented out in the reference scripts).</summary>
    public SignClVariant Variant { get; init; } = SignClVariant.SignCl;

    /// <summary>
    /// true (default): use each sequence's real length, so padded frames are never anchors, positives or negatives;
    /// negatives are drawn per sequence; the loss is the mean over anchors of each sequence, averaged over the
    /// sequences of the batch (no 1/B factor). false: the reference computation ("faithful"; docs/reference.md#s11.6):
    /// the padded batch length T for every sequence, one draw per anchor shared by the whole batch, divided by
    /// B·(T − 4). On unpadded clips with the same draws, masked = reference × B·(T − 4)/(T − 3) for SignCL
    /// (× (T − 4)/(T − 3) for InfoNCE), so a λ tuned on the reference scale at batch size B corresponds to about λ/B
    /// here.
    /// </summary>
    public bool Masked { get; init; } = true;

    /// <summary>δ, the distance the softplus margins are centred on: positives are pulled below it, negatives pushed
    /// above it (L1 distance). At least 0. Default 32, as in <c>SignCL.py</c>.</summary>
    public double MaxDistance { get; init; } = 32.0;

    /// <summary>Positives drawn per anchor from its two neighbours i − 1 and i + 1; at most 2 are used; at least 0. Default 2.</summary>
    public int PositiveSamples { get; init; } = 2;

    /// <summary>Negatives drawn per anchor for <see cref="SignClVariant.SignCl"/>; at least 0. Default 4.</summary>
    public int NegativeSamples { get; init; } = 4;

    /// <summary>Negatives drawn per anchor for <see cref="SignClVariant.InfoNce"/>; at least 0. Default 40 (<c>SignInfoNCE</c>'s default).</summary>
    public int InfoNceNegativeSamples { get; init; } = 40;

    /// <summary>τ, the InfoNCE logit temperature (logits = ⟨x_i, x_s⟩/τ on unnormalised features); must be &gt; 0. Default 0.1.</summary>
    public double Temperature { get; init; } = 0.1;

    /// <summary>How the negative margin is computed (docs/reference.md#s6.2). Default: the training scripts' rule.</summary>
    public SignClMarginRule MarginRule { get; init; } = SignClMarginRule.TrainingScript;

    /// <summary>The margin of <see cref="SignClMarginRule.Fixed"/>; at least 0. Default 20 (<c>SignCL.py</c>'s default argument).</summary>
    public int FixedMargin { get; init; } = 20;

    /// <summary>
    /// true (default): a computed margin below 1 becomes 1. The scripts' (T − 30)/2 cap is negative for T &lt; 30, which
    /// makes every frame, the anchor included, a negative (docs/reference.md#s11.7); false reproduces that.
    /// </summary>
    public bool ClampMarginToAtLeastOne { get; init; } = true;

    /// <summary>λ of the pretraining (VLP) stage: loss = L_clip + λ·SignCL; at least 0. Default 0.01 (paper and maintainer; the
    /// VLP script also says 0.01 but never backpropagates it, see <see cref="PretrainBackprop"/>).</summary>
    public double LambdaPretrain { get; init; } = 0.01;

    /// <summary>λ of the translation finetuning stage: loss = CE + λ·SignCL; at least 0. Default 0.01 (paper and maintainer). The
    /// released scripts use 0.001 (CSL) and 0.06·decay (Phoenix, see <see cref="DecayFactor"/>).</summary>
    public double LambdaFinetune { get; init; } = 0.01;

    /// <summary>First epoch (0-based, inclusive) at which finetuning adds the SignCL term. Default 70: the CSL script's
    /// effective warm-up, since its duplicate argparse dest makes <c>--warmup-epochs</c> 70 win over 30
    /// (docs/reference.md#s11.2).</summary>
    public int StartEpoch { get; init; } = 70;

    /// <summary>true (default): pretraining backpropagates L_clip + λ·SignCL as the paper intends. false reproduces the
    /// released VLP script, which only logs the SignCL term (docs/reference.md#s11.1).</summary>
    public bool PretrainBackprop { get; init; } = true;

    /// <summary>Multiplier applied to the finetuning λ each time <see cref="DecayPatienceEpochs"/> epochs pass without a
    /// dev BLEU gain above <see cref="DecayMinBleuGain"/>; in [0, 1]. Default 1 (no decay); the Phoenix script uses 0.5.</summary>
    public double DecayFactor { get; init; } = 1.0;

    /// <summary>Epochs without sufficient BLEU gain before λ is decayed; at least 1. Default 10 (the Phoenix script's value).</summary>
    public int DecayPatienceEpochs { get; init; } = 10;

    /// <summary>BLEU gain over the last improvement that resets the decay patience; at least 0. Default 2.0 (the Phoenix script's value).</summary>
    public double DecayMinBleuGain { get; init; } = 2.0;

    /// <summary>Negatives per anchor for the configured <see cref="Variant"/>.</summary>
    public int NegativesForVariant => Variant == SignClVariant.InfoNce ? InfoNceNegativeSamples : NegativeSamples;

    // Every range holds whether or not SignCL is enabled: a disabled section is still what `slt config show` prints
    // and what a later `--set signcl.enabled=true` switches on.
    public IEnumerable<ConfigProblem> Validate() => new ConfigChecks()
        .Defined("variant", Variant)
        .NonNegative("max_distance", MaxDistance)
        // The sampler draws min(k, available) indices; a negative k has no meaning (it throws there).
        .AtLeast("positive_samples", PositiveSamples, 0)
        .AtLeast("negative_samples", NegativeSamples, 0)
        .AtLeast("info_nce_negative_samples", InfoNceNegativeSamples, 0)
        // τ divides the logits: 0 gives NaN/∞, a negative τ turns the objective around.
        .Positive("temperature", Temperature)
        .Defined("margin_rule", MarginRule)
        // A margin below 0 would make the anchor its own negative; the computed rules only reach that on purpose
        // (clamp_margin_to_at_least_one: false), a fixed margin never needs it.
        .AtLeast("fixed_margin", FixedMargin, 0)
        .NonNegative("lambda_pretrain", LambdaPretrain)
        .NonNegative("lambda_finetune", LambdaFinetune)
        .AtLeast("start_epoch", StartEpoch, 0)
        // A decay multiplies λ: above 1 it would grow, below 0 flip the sign of the term.
        .InRange("decay_factor", DecayFactor, 0, 1)
        // Patience 0 would decay λ at every evaluation.
        .AtLeast("decay_patience_epochs", DecayPatienceEpochs, 1)
        .NonNegative("decay_min_bleu_gain", DecayMinBleuGain);
}
