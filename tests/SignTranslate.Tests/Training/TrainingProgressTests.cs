using SignTranslate.Training;

namespace SignTranslate.Tests.Training;

public sealed class TrainingProgressTests
{
    [Fact]
    public void TerminalGetsOneStatusLineRedrawnInPlaceWithRateAndEta()
    {
        var terminal = new StringWriter();
        var progress = new TrainingProgress(terminal, epochs: 2, stepsPerEpoch: 4);
        for (var step = 0; step < 4; step++)
            progress.Step(0, step, clips: 8, TimeSpan.FromSeconds(0.5), loss: 2.5 - step * 0.1, lr: 1e-3, read: true);
        progress.Clear();

        var text = terminal.ToString();
        Assert.StartsWith("\repoch 1/2 step 1/4 loss 2.5000 lr 1.00e-03 16.0 clips/s ETA 4s", text);
        Assert.Contains("\repoch 1/2 step 4/4 loss 2.2000", text);   // the last step of an epoch is always drawn
        Assert.EndsWith("\r\u001b[K", text);
        Assert.DoesNotContain("\n", text);
    }

    [Theory]
    [InlineData(5, "5s")]
    [InlineData(125, "2m05s")]
    [InlineData(3725, "1h02m")]
    public void DurationsReadLikeAClock(int seconds, string expected) =>
        Assert.Equal(expected, TrainingProgress.Format(TimeSpan.FromSeconds(seconds)));
}
