using TorchSharp;

namespace SignTranslate.Tests;

public class TorchSmokeTests
{
    [Fact]
    public void NativeLibraryLoadsAndAutogradComputesGradient()
    {
        using var scope = torch.NewDisposeScope();
        var w = torch.tensor(new[] { 1.5, -2.0, 3.0 }, dtype: torch.float64, requires_grad: true);
        var loss = (w * w).sum() + 3 * w.sum();
        loss.backward();
        // d/dw (w^2 + 3w) = 2w + 3
        Assert.Equal(new[] { 6.0, -1.0, 9.0 }, w.grad!.data<double>().ToArray());
        Assert.Equal(1.5 * 1.5 + 4 + 9 + 3 * 2.5, loss.item<double>(), 12);
    }
}
