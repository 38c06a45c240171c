using SignTranslate.Training;
using static TorchSharp.torch;

namespace SignTranslate.Tests.Training;

[Collection(ProcessStateCollection.Name)]
public class OptimizerFactoryTests
{
    [Fact]
    public void WeightDecaySplitsNormAndBiasParametersIntoAnUndecayedGroup()
    {
        random.manual_seed(1);
        using var model = nn.Sequential(("lin", nn.Linear(3, 4)), ("norm", nn.LayerNorm(4)));
        using var optimizer = OptimizerFactory.Create(model.named_parameters().Select(p => (p.name, p.parameter)),
            new OptimizationOptions { WeightDecay = 0.001 });
        var groups = optimizer.ParamGroups.Cast<TorchSharp.Modules.ParamGroup>().ToList();
        Assert.Equal(2, groups.Count);
        Assert.Equal(3, groups[0].Parameters.Count());   // lin.bias, norm.weight, norm.bias
        Assert.Single(groups[1].Parameters);              // lin.weight
    }

    [Fact]
    public void SgdIsNesterovWithMomentum()
    {
        // One parameter w, loss = w·g for a fixed g: two steps of Nesterov SGD (PyTorch semantics)
        // buf1 = g; w1 = w0 - lr (g + m buf1); buf2 = m buf1 + g; w2 = w1 - lr (g + m buf2).
        var w = nn.Parameter(tensor(new[] { 1.0 }, dtype: float64));
        using var optimizer = OptimizerFactory.Create([("w", w)], new OptimizationOptions { Lr = 0.1, Momentum = 0.9 });
        const double g = 2.0;
        for (int i = 0; i < 2; i++)
        {
            optimizer.zero_grad();
            (w * g).sum().backward();
            optimizer.step();
        }
        double buf1 = g, w1 = 1.0 - 0.1 * (g + 0.9 * buf1), buf2 = 0.9 * buf1 + g, w2 = w1 - 0.1 * (g + 0.9 * buf2);
        Assert.Equal(w2, w.item<double>(), 12);
    }

    [Fact]
    public void SetLearningRateChangesEveryGroup()
    {
        using var model = nn.Linear(2, 2);
        using var optimizer = OptimizerFactory.Create(model.named_parameters().Select(p => (p.name, p.parameter)),
            new OptimizationOptions { WeightDecay = 0.1, Optimizer = OptimizerKind.AdamW });
        OptimizerFactory.SetLearningRate(optimizer, 0.123);
        Assert.All(optimizer.ParamGroups, g => Assert.Equal(0.123, g.LearningRate));
    }
}
