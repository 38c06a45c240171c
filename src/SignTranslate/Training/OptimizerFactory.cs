using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SignTranslate.Training;

/// <summary>Builds optimizers the way the reference's timm <c>create_optimizer</c> does.</summary>
public static class OptimizerFactory
{
    /// <summary>
    /// With weight decay, parameters split into two groups like timm's <c>param_groups_weight_decay</c>: 1-D tensors
    /// and biases (norm weights, biases) get no decay, everything else gets <see cref="OptimizationOptions.WeightDecay"/>.
    /// Frozen parameters (<c>requires_grad</c> false) are left out.
    /// </summary>
    public static optim.Optimizer Create(IEnumerable<(string Name, Parameter Parameter)> namedParameters, OptimizationOptions options)
    {
        var trainable = namedParameters.Where(p => p.Parameter.requires_grad).ToList();
        var noDecay = trainable.Where(p => IsExemptFromDecay(p.Name, p.Parameter)).Select(p => p.Parameter).ToList();
        var decay = trainable.Where(p => !IsExemptFromDecay(p.Name, p.Parameter)).Select(p => p.Parameter).ToList();
        bool split = options.WeightDecay > 0;

        return options.Optimizer switch
        {
            OptimizerKind.Sgd => split
                ? optim.SGD(
                    [
                        new SGD.ParamGroup(noDecay, new SGD.Options { weight_decay = 0 }),
                        new SGD.ParamGroup(decay, new SGD.Options { weight_decay = options.WeightDecay }),
                    ],
                    options.Lr, momentum: options.Momentum, nesterov: true)
                : optim.SGD(trainable.Select(p => p.Parameter), options.Lr, momentum: options.Momentum, nesterov: true),
            OptimizerKind.AdamW => split
                ? optim.AdamW(
                    [
                        new AdamW.ParamGroup(noDecay, new AdamW.Options { weight_decay = 0 }),
                        new AdamW.ParamGroup(decay, new AdamW.Options { weight_decay = options.WeightDecay }),
                    ],
                    options.Lr, beta1: options.Beta1, beta2: options.Beta2)
                : optim.AdamW(trainable.Select(p => p.Parameter), options.Lr, beta1: options.Beta1, beta2: options.Beta2, weight_decay: 0),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Optimizer, "unknown optimizer"),
        };
    }

    /// <summary>Sets the learning rate of every parameter group.</summary>
    public static void SetLearningRate(optim.Optimizer optimizer, double lr)
    {
        foreach (var group in optimizer.ParamGroups)
            group.LearningRate = lr;
    }

    private static bool IsExemptFromDecay(string name, Parameter parameter) =>
        parameter.dim() <= 1 || name.EndsWith(".bias", StringComparison.Ordinal) || name == "bias";
}
