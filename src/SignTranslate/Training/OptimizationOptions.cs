using SignTranslate.Config;

namespace SignTranslate.Training;

/// <summary>Which update rule trains the model.</summary>
public enum OptimizerKind
{
    /// <summary>SGD with Nesterov momentum, as timm's <c>create_optimizer(opt='sgd')</c> builds it (the reference recipe).</summary>
    Sgd,

    /// <summary>AdamW (decoupled weight decay).</summary>
    AdamW,
}

/// <summary>When the learning rate changes.</summary>
public enum ScheduleGranularity
{
    /// <summary>
    /// Once per epoch with the reference's one-epoch lag: the reference calls <c>scheduler.step(epoch)</c> after
    /// epoch e, so epochs 0 and 1 both run at the base rate and epoch e ≥ 1 uses η(e−1) (docs/reference.md#s11.24).
    /// </summary>
    EpochFaithful,

    /// <summary>Every optimizer step, following the cosine over all steps of the run (warm-up counted in steps).</summary>
    Step,
}

/// <summary>The optimizer and learning-rate schedule of one parameter set (docs/reference.md#s5.1).</summary>
public sealed record OptimizationOptions : IValidatableConfig
{
    /// <summary><c>sgd</c> (Nesterov, momentum <see cref="Momentum"/>) or <c>adam_w</c>. Default <c>sgd</c>, the reference recipe.</summary>
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Sgd;

    /// <summary>Base learning rate η₀, &gt; 0. Reference: 0.01 (Phoenix, both stages; CSL pretraining), 0.0065 (CSL finetuning).</summary>
    public double Lr { get; init; } = 0.01;

    /// <summary>Lowest learning rate of the cosine, in [0, lr]. Reference 1e-8.</summary>
    public double MinLr { get; init; } = 1e-8;

    /// <summary>
    /// Weight decay. As in timm, when it is above 0 the 1-D parameters and biases form a separate group without decay.
    /// Reference: 0 for pretraining, 0.001 for finetuning.
    /// </summary>
    public double WeightDecay { get; init; }

    /// <summary>Momentum of SGD, in (0, 1) with <c>sgd</c> (Nesterov needs it above 0), else [0, 1). Default 0.9 (timm).</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>Adam β₁ (AdamW only), in [0, 1). Default 0.9.</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>Adam β₂ (AdamW only), in [0, 1). Default 0.999; the reference's text decoder uses 0.98.</summary>
    public double Beta2 { get; init; } = 0.999;

    /// <summary>Linear warm-up length in epochs, at least 0 (fractions allowed with <c>step</c> granularity). Reference 0.</summary>
    public double WarmupEpochs { get; init; }

    /// <summary><c>epoch_faithful</c> (reference, default) or <c>step</c>.</summary>
    public ScheduleGranularity Schedule { get; init; } = ScheduleGranularity.EpochFaithful;

    /// <summary>Clip the global gradient norm to this value (at least 0); 0 disables clipping (the reference does not clip).</summary>
    public double GradClip { get; init; }

    public IEnumerable<ConfigProblem> Validate() => new ConfigChecks()
        .Defined("optimizer", Optimizer)
        // YAML's .nan and .inf parse as numbers, and a NaN passes any "< 0" test: hence the IsFinite checks.
        .Require(double.IsFinite(Lr) && Lr > 0, "lr", $"must be positive, got {Lr}")
        // Compared with lr only when lr itself is valid, so a bad lr is reported once, at lr.
        .Require(double.IsFinite(MinLr) && MinLr >= 0 && (!(double.IsFinite(Lr) && Lr > 0) || MinLr <= Lr), "min_lr", $"must be in [0, lr], got {MinLr}")
        .Require(double.IsFinite(WeightDecay) && WeightDecay >= 0, "weight_decay", $"must not be negative, got {WeightDecay}")
        // The SGD update is always Nesterov (as timm builds it), which needs a momentum above 0; 1 or more never
        // forgets a gradient and diverges.
        .Require(Optimizer == OptimizerKind.Sgd ? Momentum is > 0 and < 1 : Momentum is >= 0 and < 1, "momentum",
            Optimizer == OptimizerKind.Sgd
                ? $"must be in (0, 1) with optimizer sgd (Nesterov momentum), got {ConfigChecks.Show(Momentum)}"
                : $"must be in [0, 1), got {ConfigChecks.Show(Momentum)}")
        .InRange("beta1", Beta1, 0, 1, maximumExcluded: true)
        .InRange("beta2", Beta2, 0, 1, maximumExcluded: true)
        .Require(double.IsFinite(WarmupEpochs) && WarmupEpochs >= 0, "warmup_epochs", $"must not be negative, got {WarmupEpochs}")
        .Defined("schedule", Schedule)
        .Require(double.IsFinite(GradClip) && GradClip >= 0, "grad_clip", $"must be 0 (off) or positive, got {GradClip}");
}
