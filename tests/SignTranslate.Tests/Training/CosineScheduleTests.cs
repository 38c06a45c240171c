using SignTranslate.Training;

namespace SignTranslate.Tests.Training;

public class CosineScheduleTests
{
    [Fact]
    public void FaithfulEpochScheduleMatchesTheReferenceLogs()
    {
        // CSL-Daily finetuning: lr 0.0065, 200 epochs; the log shows 0.0064996 at epoch 2 (docs/reference.md#s5.2).
        var csl = new CosineSchedule(new OptimizationOptions { Lr = 0.0065, MinLr = 1e-8 }, epochs: 200, stepsPerEpoch: 10);
        Assert.Equal(0.0065, csl.LearningRate(0, 0), 12);
        Assert.Equal(0.0065, csl.LearningRate(1, 5), 12);
        Assert.Equal(0.0064996, csl.LearningRate(2, 0), 7);
        // Phoenix pretraining: lr 0.01, 80 epochs; 0.005000005 at epoch 41.
        var phoenix = new CosineSchedule(new OptimizationOptions { Lr = 0.01, MinLr = 1e-8 }, epochs: 80, stepsPerEpoch: 3);
        Assert.Equal(0.005000005, phoenix.LearningRate(41, 2), 12);
    }

    [Fact]
    public void StepScheduleWarmsUpThenDecaysToMinimum()
    {
        var options = new OptimizationOptions { Lr = 1.0, MinLr = 0.0, WarmupEpochs = 1, Schedule = ScheduleGranularity.Step };
        var schedule = new CosineSchedule(options, epochs: 3, stepsPerEpoch: 4);
        var rates = Enumerable.Range(0, 12).Select(s => schedule.LearningRate(s / 4, s % 4)).ToArray();
        // Warm-up: strictly increasing over the first 4 steps, reaching 1 right after it.
        Assert.True(rates[0] < rates[1] && rates[1] < rates[2] && rates[2] < rates[3] && rates[3] < 1.0);
        Assert.Equal(1.0, rates[4], 12);
        // Then monotone decay; the last step is close to the minimum, the midpoint of the decay is 0.5.
        for (int i = 5; i < 12; i++) Assert.True(rates[i] < rates[i - 1]);
        Assert.Equal(0.5, rates[8], 12);
        Assert.True(rates[11] < 0.05);
    }
}
