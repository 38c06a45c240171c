using SignTranslate.Checkpoints;
using SignTranslate.Training;
using static TorchSharp.torch;

namespace SignTranslate.Tests.Checkpoints;

[Collection(ProcessStateCollection.Name)]
public sealed class CheckpointStoreTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("slt-ckpt-");

    public void Dispose() => _dir.Delete(recursive: true);

    private static nn.Module<Tensor, Tensor> NewModel(long seed)
    {
        random.manual_seed(seed);
        return nn.Sequential(("fc1", nn.Linear(4, 8)), ("act", nn.ReLU()), ("fc2", nn.Linear(8, 2)));
    }

    private static CheckpointMetadata Meta(int epochs) => new() { Stage = "test", EpochsCompleted = epochs, ConfigYaml = "run:\n  seed: 1\n" };

    private static double TrainSteps(nn.Module<Tensor, Tensor> model, optim.Optimizer optimizer, int steps)
    {
        double last = 0;
        for (int i = 0; i < steps; i++)
        {
            using var scope = NewDisposeScope();
            var x = randn(5, 4);
            var loss = model.call(x).pow(2).mean();
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
            last = loss.item<float>();
        }
        return last;
    }

    [Fact]
    public void SaveThenLoadGivesIdenticalOutputsAndMetadata()
    {
        using var model = NewModel(1);
        var folder = Path.Combine(_dir.FullName, "best");
        CheckpointStore.Save(folder, model, Meta(3) with { Metrics = new Dictionary<string, double> { ["dev_bleu4"] = 12.5 } });

        using var other = NewModel(2);
        var weights = CheckpointStore.ReadWeights(folder);
        Assert.Equal(["fc1.bias", "fc1.weight", "fc2.bias", "fc2.weight"], weights.Keys.Order(StringComparer.Ordinal));
        other.load_state_dict(weights);
        using var x = randn(3, 4);
        Assert.True(model.call(x).equal(other.call(x)).all().item<bool>());

        var meta = CheckpointStore.ReadMetadata(folder);
        Assert.Equal(3, meta.EpochsCompleted);
        Assert.Equal(12.5, meta.Metrics["dev_bleu4"]);
        Assert.Equal("run:\n  seed: 1\n", meta.ConfigYaml);
    }

    [Fact]
    public void SavingIntoAFolderThatHoldsFilesIsRefusedAndLeavesNoTemporaries()
    {
        using var model = NewModel(1);
        var folder = Path.Combine(_dir.FullName, "imported");
        CheckpointStore.Save(folder, model, Meta(1));
        var message = Assert.Throws<InputException>(() => CheckpointStore.Save(folder, model, Meta(2))).Message;
        Assert.Contains("folder exists and is not empty", message);
        Assert.Equal(1, CheckpointStore.ReadMetadata(folder).EpochsCompleted);
        Assert.Equal(["imported"], _dir.GetDirectories().Select(d => d.Name));
    }

    [Fact]
    public void ResumingRestoresOptimizerAndRngSoTrainingContinuesIdentically()
    {
        // Uninterrupted: 3 + 3 steps.
        using var reference = NewModel(5);
        using var referenceOptimizer = OptimizerFactory.Create(reference.named_parameters().Select(p => (p.name, p.parameter)),
            new OptimizationOptions { Lr = 0.05 });
        random.manual_seed(100);
        TrainSteps(reference, referenceOptimizer, 3);
        var folder = Path.Combine(_dir.FullName, "resume");
        CheckpointStore.Save(folder, reference, Meta(1), new Dictionary<string, optim.Optimizer> { ["main"] = referenceOptimizer });
        double expected = TrainSteps(reference, referenceOptimizer, 3);

        // Interrupted: a fresh model and optimizer restored from the checkpoint.
        using var resumed = NewModel(9);
        resumed.load_state_dict(CheckpointStore.ReadWeights(folder));
        using var resumedOptimizer = OptimizerFactory.Create(resumed.named_parameters().Select(p => (p.name, p.parameter)),
            new OptimizationOptions { Lr = 0.05 });
        CheckpointStore.RestoreTrainingState(folder, new Dictionary<string, optim.Optimizer> { ["main"] = resumedOptimizer });
        double actual = TrainSteps(resumed, resumedOptimizer, 3);

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void MissingMetadataIsAnInputError()
    {
        var message = Assert.Throws<InputException>(() => CheckpointStore.ReadMetadata(_dir.FullName)).Message;
        Assert.Contains("meta.json is missing", message);
    }
}
