using System.Text.Json;
using SignTranslate.Checkpoints;
using SignTranslate.Training;
using SignTranslate.Training.Tasks;
using static TorchSharp.torch;

namespace SignTranslate.Tests.Training;

/// <summary>
/// training.accumulate_steps: k micro-batches per optimizer step. On a model whose loss is a mean of per-sample terms
/// and which has no batch statistics, k micro-batches of b are one batch of k·b; the trainer counts optimizer steps.
/// </summary>
[Collection(ProcessStateCollection.Name)]
public sealed class GradientAccumulationTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("slt-accumulation-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Theory]
    [InlineData(OptimizerKind.AdamW, 2)]
    [InlineData(OptimizerKind.Sgd, 3)]
    public void KMicroBatchesOfBMatchOneBatchOfKTimesBOnAPerSampleLossWithoutBatchNorm(OptimizerKind kind, int k)
    {
        const int b = 3, steps = 5, features = 6;
        var options = new OptimizationOptions { Optimizer = kind, Lr = 0.05, WeightDecay = 0.01, GradClip = 0.5 };
        manual_seed(11);
        var inputs = randn([steps, k * b, features]);
        var targets = randn([steps, k * b, 1]);

        float[] Train(bool accumulate)
        {
            manual_seed(3);
            var model = nn.Sequential(nn.Linear(features, 8), nn.ReLU(), nn.Linear(8, 1));
            var slot = OptimizerSlot.For("model", model, options);
            var slots = new Dictionary<string, OptimizerSlot> { ["model"] = slot };
            using var scalars = new LoggedScalars(new Dictionary<string, RunningSum>());
            for (var step = 0; step < steps; step++)
            {
                using var scope = NewDisposeScope();
                scalars.BeginStep();
                var position = new StepPosition(0, step, step);
                // The data of a slot: rows slot·b … of the step's k·b; without accumulation one slot holds them all.
                var micro = accumulate ? new MicroBatching(Seed: 1, SlotsPerStep: k, Buffers: []) : MicroBatching.None;
                var batches = Enumerable.Range(0, accumulate ? k : 1).Select(s => new MicroBatch(null!, s)).ToList();
                var context = new StepContext(position, slots, scalars, microBatches: micro);
                context.Optimize("model", batches, m =>
                {
                    var rows = accumulate ? inputs[step].narrow(0, m.Slot * b, b) : inputs[step];
                    var wanted = accumulate ? targets[step].narrow(0, m.Slot * b, b) : targets[step];
                    var loss = (model.call(rows) - wanted).pow(2).mean();
                    context.Log("loss", loss);
                    return loss;
                });
                scalars.EndStep();
            }
            var weights = cat(model.parameters().Select(p => p.detach().flatten()).ToArray()).data<float>().ToArray();
            slot.Optimizer.Dispose();
            return weights;
        }

        var whole = Train(accumulate: false);
        var accumulated = Train(accumulate: true);
        var largest = whole.Select(Math.Abs).Max();
        var worst = whole.Zip(accumulated, (x, y) => Math.Abs(x - y)).Max();
        Assert.True(worst <= 1e-5 * largest, $"max |diff| {worst:E2} against max |w| {largest:E2}");
    }

    [Fact]
    public void ValuesLoggedPerMicroBatchAreAveragedIntoOneStepValue()
    {
        using var scalars = new LoggedScalars(new Dictionary<string, RunningSum>());
        for (var step = 0; step < 2; step++)
        {
            using var scope = NewDisposeScope();
            scalars.BeginStep();
            scalars.Add("lr", 0.5);
            foreach (var value in new[] { 1.0f, 2.0f, 6.0f })
            {
                scalars.BeginMicroBatch();
                scalars.Add("loss", tensor(value + step));
                scalars.EndMicroBatch();
            }
            var read = scalars.ReadStep().ToDictionary();
            Assert.Equal(3.0 + step, read["loss"], 12);
            Assert.Equal(0.5, read["lr"]);
            scalars.EndStep();
        }
        var sums = scalars.Sums();
        Assert.Equal(new RunningSum(3.0 + 4.0, 2), sums["loss"]);
        Assert.Equal(new RunningSum(1.0, 2), sums["lr"]);
    }

    [Fact]
    public void AnAccumulatingRunCountsOptimizerStepsAndResumesBitIdentically()
    {
        // 12 videos in micro-batches of 2, 2 per step: 3 optimizer steps per epoch; dropout draws per micro-batch slot.
        var config = TinyExperiment.Config("synthetic.train_samples=12", "training.batch_size=2", "training.accumulate_steps=2",
            "training.epochs=2", "model.mbart.dropout=0.1", "training.optimizer.grad_clip=1.0");
        var data = ExperimentData.Open(config);
        var tokenizer = data.CreateTokenizer();
        FinetuneTask NewTask()
        {
            random.manual_seed(config.Run.Seed);
            return new FinetuneTask(TrainedModels.NewSlt(config, tokenizer), tokenizer, config.Training, config.Eval, config.SignCl, config.Run.Seed, CPU);
        }

        var whole = RunFolder.CreateAt(Path.Combine(_dir.FullName, "whole"), config);
        using (var task = NewTask())
            new Trainer(config, data, tokenizer, whole).Run(task, null, CancellationToken.None);
        Assert.Equal([1L, 2, 3, 4, 5, 6], Steps(whole.Path));

        var parts = RunFolder.CreateAt(Path.Combine(_dir.FullName, "parts"), config);
        using var stop = new CancellationTokenSource();
        TrainingOutcome interrupted;
        using (var task = new InterceptingTask(NewTask(), afterStep: p => { if (p.GlobalStep + 1 == 4) stop.Cancel(); }))
            interrupted = new Trainer(config, data, tokenizer, parts).Run(task, null, stop.Token);
        Assert.True(interrupted.Interrupted);
        var meta = CheckpointStore.ReadMetadata(interrupted.LastCheckpoint);
        Assert.Equal((1, 1, 4L), (meta.EpochsCompleted, meta.StepsIntoEpoch, meta.GlobalStep));
        using (var task = NewTask())
            Assert.False(new Trainer(config, data, tokenizer, parts).Run(task, interrupted.LastCheckpoint, CancellationToken.None).Interrupted);

        Assert.Equal(File.ReadAllLines(Path.Combine(whole.Path, "metrics.jsonl")), File.ReadAllLines(Path.Combine(parts.Path, "metrics.jsonl")));
        var expected = CheckpointStore.ReadWeights(Path.Combine(whole.CheckpointsPath, RunCheckpoints.LastLink));
        var actual = CheckpointStore.ReadWeights(Path.Combine(parts.CheckpointsPath, RunCheckpoints.LastLink));
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (name, tensor) in expected)
            Assert.True(tensor.eq(actual[name]).all().item<bool>(), $"{name} differs after resume");
    }

    private static List<long> Steps(string runFolder) =>
        File.ReadAllLines(Path.Combine(runFolder, "metrics.jsonl"))
            .Select(l => JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(l)!)
            .Where(r => r["kind"].GetString() == "step").Select(r => r["step"].GetInt64()).ToList();
}
