using System.Text.Json;
using SignTranslate.Training;
using SignTranslate.Training.Tasks;
using TorchSharp;
using static TorchSharp.torch;

namespace SignTranslate.Tests.Training;

/// <summary>
/// A training step must not make the host wait for the device: the task logs tensors, the trainer sums them on the
/// device and reads them once per log interval. The proofs: the trainer's count of its host reads over whole runs, the
/// records those reads produce against reading every step, and the trainer's side of a step on the meta device, where
/// any read of a tensor's value throws.
/// </summary>
[Collection(ProcessStateCollection.Name)]
public sealed class StepSynchronisationTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("slt-sync-");

    public void Dispose() => _dir.Delete(recursive: true);

    // 32 training videos in batches of 4: 8 steps per epoch. SignCL from the first epoch and gradient clipping, so
    // that every term a finetuning step can log is logged.
    private static ExperimentConfig Config(int logEverySteps, int epochs) => TinyExperiment.Config(
        "synthetic.train_samples=32", $"training.epochs={epochs}", $"training.log_every_steps={logEverySteps}",
        "training.optimizer.grad_clip=0.5", "signcl.enabled=true", "signcl.start_epoch=0", "signcl.lambda_finetune=0.1");

    private (Trainer Trainer, string Run) Train(ExperimentConfig config, string name)
    {
        var data = ExperimentData.Open(config);
        var tokenizer = data.CreateTokenizer();
        random.manual_seed(config.Run.Seed);
        using var task = new FinetuneTask(TrainedModels.NewSlt(config, tokenizer), tokenizer, config.Training, config.Eval, config.SignCl, config.Run.Seed, CPU);
        var run = RunFolder.CreateAt(Path.Combine(_dir.FullName, name), config);
        var trainer = new Trainer(config, data, tokenizer, run);
        trainer.Run(task, null, CancellationToken.None);
        return (trainer, run.Path);
    }

    private static List<string> Records(string run, string kind) =>
        File.ReadAllLines(Path.Combine(run, "metrics.jsonl"))
            .Where(line => JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(line)!["kind"].GetString() == kind).ToList();

    [Theory]
    // Log interval 4, one epoch of 8 steps: reads after steps 4 and 8 (the second also serves the epoch's means).
    [InlineData(4, 1, 2)]
    // Log interval 3, two epochs: steps 3 and 6, 8 (an epoch's end that is no log step), 9, 12, 15, 16.
    [InlineData(3, 2, 7)]
    public void AFinetuneRunReadsTheDeviceOncePerLogIntervalAndAtEpochEnds(int logEverySteps, int epochs, int expectedReads)
    {
        var (trainer, run) = Train(Config(logEverySteps, epochs), "run");
        Assert.Equal(expectedReads, trainer.HostReads);
        Assert.Equal(8 * epochs / logEverySteps, Records(run, "step").Count);
    }

    [Fact]
    public void ReadingOncePerIntervalRecordsWhatReadingEveryStepRecords()
    {
        var everyStep = Train(Config(logEverySteps: 1, epochs: 2), "every-step").Run;
        var everyFourth = Train(Config(logEverySteps: 4, epochs: 2), "every-fourth").Run;

        // The step records of the sparse run are those of the dense run at its steps, digit for digit, and the epoch
        // means, summed on the device, are the means of every step.
        var dense = Records(everyStep, "step");
        Assert.Equal(Enumerable.Range(1, 4).Select(i => dense[4 * i - 1]), Records(everyFourth, "step"));
        Assert.Equal(Records(everyStep, "epoch"), Records(everyFourth, "epoch"));
        Assert.Contains("\"train_grad_norm_model\":", dense[0]);
        Assert.Contains("\"train_cl_loss\":", dense[0]);
    }

    /// <summary>
    /// The trainer's side of a step on the meta device, where tensors have shapes but no values, so any read of one
    /// throws: logging, backward, gradient clipping and the optimizer step (AdamW or Nesterov SGD), over a loss made of the token cross-entropy, the
    /// CLIP loss and the masked BatchNorm of TemporalConv and <c>sign_emb</c> (whose count of real steps used to be read
    /// from the device). A whole finetuning step cannot run there: LibTorch has no meta kernels for the convolutions'
    /// im2col, relu or index_select (SignCL), which is why the trainer also counts its reads over real runs above.
    /// </summary>
    [Theory]
    [InlineData(OptimizerKind.AdamW)]
    [InlineData(OptimizerKind.Sgd)]
    public void TheStepContextAndTheMaskedBatchNormReadNothingFromTheDevice(OptimizerKind optimizer)
    {
        using var scope = NewDisposeScope();
        var meta = new Device(DeviceType.META);
        int[] frames = [12, 9, 7];
        const int width = 12, featureSize = 8, vocabulary = 10;
        var frameNetwork = nn.Linear(featureSize, featureSize);
        var norm = new SignTranslate.Models.MaskedBatchNorm1d(featureSize);
        var head = nn.Linear(featureSize, vocabulary);
        var model = nn.ModuleList<nn.Module>(frameNetwork, norm, head);
        foreach (var layer in model) layer.to(meta);
        model.train();
        var slot = OptimizerSlot.For("model", model, new OptimizationOptions { Optimizer = optimizer, Lr = 1e-3, WeightDecay = 0.01, GradClip = 0.5 });
        var slots = new Dictionary<string, OptimizerSlot> { ["model"] = slot };
        var videoMask = StepMask(frames, width).to(meta);
        using var scalars = new LoggedScalars(new Dictionary<string, SignTranslate.Checkpoints.RunningSum>());

        for (var step = 0; step < 3; step++)
        {
            scalars.BeginStep();
            var context = new StepContext(new StepPosition(0, step, step), slots, scalars);
            context.Log("lr_model", 1e-3);
            var features = frameNetwork.call(randn([3, width, featureSize], device: meta));                         // [B,T,F]
            var normalised = norm.Forward(features.permute(0, 2, 1), videoMask, frames.Sum()).permute(0, 2, 1);   // [B,T,F]
            var loss = SignTranslate.Losses.TokenCrossEntropy.Compute(head.call(normalised), randint(vocabulary, [3, width], device: meta),
                padId: 1, labelSmoothing: 0.1);
            context.Log("ce_loss", loss);
            var pooled = normalised.mean([1]);
            var clip = SignTranslate.Losses.ClipKlLoss.Compute(pooled.matmul(pooled.t()), pooled.matmul(pooled.t()));
            context.Log("clip_loss", clip);
            loss = loss + clip;
            context.Log("loss", loss);
            context.Optimize("model", loss);
            if (step < 2) scalars.EndStep();
        }
        Assert.Equal(0, scalars.HostReads);
        // The proof has teeth: the read the trainer makes once per log interval is one the meta device refuses.
        Assert.ThrowsAny<Exception>(() => scalars.ReadStep());
    }

    [Fact]
    public void SignClReadsTheTokenCountsOnlyFromTheHostCopyOfTheTextMask()
    {
        using var scope = NewDisposeScope();
        var signCl = new SignTranslate.Losses.SignCl(new SignTranslate.Losses.SignClOptions(), seed: 1);
        var mask = ones(2, 3, dtype: ScalarType.Int64).to(new Device(DeviceType.META));
        Assert.Throws<ArgumentException>(() => signCl.BatchLoss(randn(2, 8, 4), [8, 6], mask));
    }

    private static Tensor StepMask(int[] frames, int width)
    {
        var mask = new long[frames.Length * width];
        for (var b = 0; b < frames.Length; b++)
            for (var t = 0; t < frames[b]; t++)
                mask[b * width + t] = 1;
        return tensor(mask, [frames.Length, width]);
    }
}
