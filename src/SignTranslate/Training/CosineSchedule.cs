namespace SignTranslate.Training;

/// <summary>
/// Cosine learning-rate schedule with optional linear warm-up, in closed form:
/// η(t) = η_min + ½(η₀ − η_min)(1 + cos(π·t/T)). Pure arithmetic, no optimizer state, so a resumed run computes
/// exactly the same rates.
/// </summary>
public sealed class CosineSchedule(OptimizationOptions options, int epochs, int stepsPerEpoch)
{
    /// <summary>The learning rate of the optimizer step <paramref name="stepInEpoch"/> of epoch <paramref name="epoch"/> (both 0-based).</summary>
    public double LearningRate(int epoch, int stepInEpoch)
    {
        if (options.Schedule == ScheduleGranularity.EpochFaithful)
        {
            // scheduler.step(epoch) after each epoch: epoch e trains at η(e-1), epoch 0 at η(0).
            int lagged = Math.Max(0, epoch - 1);
            return AtEpochTime(lagged, epochs, warmup: options.WarmupEpochs);
        }
        double totalSteps = (double)epochs * stepsPerEpoch;
        double t = (double)epoch * stepsPerEpoch + stepInEpoch;
        return AtEpochTime(t, totalSteps, warmup: options.WarmupEpochs * stepsPerEpoch);
    }

    private double AtEpochTime(double t, double total, double warmup)
    {
        if (warmup > 0 && t < warmup)
            return options.Lr * (t + 1) / (warmup + 1);
        double progress = total <= warmup ? 1.0 : (t - warmup) / (total - warmup);
        return options.MinLr + 0.5 * (options.Lr - options.MinLr) * (1 + Math.Cos(Math.PI * Math.Clamp(progress, 0, 1)));
    }
}
