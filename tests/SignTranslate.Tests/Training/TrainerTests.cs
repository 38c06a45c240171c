using System.Text.Json;
using SignTranslate.Checkpoints;
using SignTranslate.Cli;
using SignTranslate.Data;
using SignTranslate.Tests.Cli;
using SignTranslate.Text;
using SignTranslate.Training;
using SignTranslate.Training.Tasks;
using static TorchSharp.torch;

namespace SignTranslate.Tests.Training;

[Collection(ProcessStateCollection.Name)]
public sealed class TrainerTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("slt-trainer-");

    public void Dispose() => _dir.Delete(recursive: true);

    private static (ExperimentData Data, ITextTokenizer Tokenizer) Open(ExperimentConfig config)
    {
        var data = ExperimentData.Open(config);
        return (data, data.CreateTokenizer());
    }

    private static FinetuneTask NewFinetune(ExperimentConfig config, ITextTokenizer tokenizer)
    {
        random.manual_seed(config.Run.Seed);
        return new FinetuneTask(TrainedModels.NewSlt(config, tokenizer), tokenizer, config.Training, config.Eval, config.SignCl, config.Run.Seed, CPU);
    }

    private static PretrainTask NewPretrain(ExperimentConfig config, ITextTokenizer tokenizer)
    {
        random.manual_seed(config.Run.Seed);
        var (model, decoder) = TrainedModels.NewVlp(config, tokenizer);
        return new PretrainTask(model, decoder, tokenizer, config.Training, config.SignCl, config.Run.Seed, CPU);
    }

    private static List<Dictionary<string, JsonElement>> Records(string runFolder, string kind) =>
        File.ReadAllLines(Path.Combine(runFolder, "metrics.jsonl"))
            .Select(l => JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(l)!)
            .Where(r => r["kind"].GetString() == kind).ToList();

    [Fact]
    public void AFewStepsOnOneBatchReduceTheLoss()
    {
        var config = TinyExperiment.Config("synthetic.train_samples=4", "training.epochs=15", "training.eval_every_epochs=15", "training.optimizer.lr=0.01");
        var (data, tokenizer) = Open(config);
        using var task = NewFinetune(config, tokenizer);
        var run = RunFolder.CreateAt(Path.Combine(_dir.FullName, "run"), config);
        new Trainer(config, data, tokenizer, run).Run(task, null, CancellationToken.None);

        var losses = Records(run.Path, "epoch").Select(r => r["train_ce_loss"].GetDouble()).ToList();
        Assert.Equal(15, losses.Count);
        Assert.True(losses[^1] < 0.7 * losses[0], $"loss went {losses[0]:F3} -> {losses[^1]:F3}");
    }

    [Fact]
    public async Task SameSeedGivesIdenticalLossesOverFiveSteps()
    {
        var yaml = TinyExperiment.Write(_dir.FullName);
        List<double> Losses(string run) => Records(run, "step").Select(r => r["train_loss"].GetDouble()).ToList();
        string[] Args(string run, int seed) =>
            ["finetune", "--config", yaml, "--run-dir", run, "--set", "synthetic.train_samples=20", "--set", "training.epochs=1",
             "--set", "model.mbart.dropout=0.1", "--set", $"run.seed={seed}", "-q"];

        var a = Path.Combine(_dir.FullName, "a");
        var b = Path.Combine(_dir.FullName, "b");
        var c = Path.Combine(_dir.FullName, "c");
        foreach (var (run, seed) in new[] { (a, 7), (b, 7), (c, 8) })
        {
            var result = await CliRunner.RunAsync(Args(run, seed));
            Assert.True(result.ExitCode == ExitCodes.Success, result.Stderr);
        }
        Assert.Equal(5, Losses(a).Count);
        Assert.Equal(Losses(a), Losses(b));
        Assert.NotEqual(Losses(a), Losses(c));
    }

    [Fact]
    public void SavedCheckpointLoadsBackWithIdenticalOutputs()
    {
        var config = TinyExperiment.Config("training.epochs=1");
        var (data, tokenizer) = Open(config);
        using var task = NewFinetune(config, tokenizer);
        var run = RunFolder.CreateAt(Path.Combine(_dir.FullName, "run"), config);
        var outcome = new Trainer(config, data, tokenizer, run).Run(task, null, CancellationToken.None);

        var checkpoint = TrainedModels.Read(outcome.LastCheckpoint);
        using var loaded = TrainedModels.LoadSlt(checkpoint, CPU);
        task.Model.eval();
        using var batch = data.Batches(Split.Dev, tokenizer, training: false, withMaskedText: false).Build([0, 1, 2, 3], 1);
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            Tensor Logits(SignTranslate.Models.SltModel m) => m.Forward(batch.Video.Frames!, batch.Video.Lengths, batch.Video.AttentionMask,
                batch.Text.InputIds, batch.Text.AttentionMask).Logits;
            Assert.True(Logits(task.Model).eq(Logits(loaded)).all().item<bool>());
        }
        Assert.Equal(SplitTranslator.TranslateBatch(task.Model, batch, tokenizer, config.Eval, CPU),
            SplitTranslator.TranslateBatch(loaded, batch, checkpoint.Tokenizer, checkpoint.Config.Eval, CPU));
        Assert.Equal(tokenizer.VocabularySize, checkpoint.Tokenizer.VocabularySize);
    }

    [Fact]
    public void ResumeAfterAnInterruptContinuesExactlyWhereItStopped()
    {
        var config = TinyExperiment.Config("synthetic.train_samples=12", "training.epochs=2", "model.mbart.dropout=0.1",
            "training.optimizer.optimizer=sgd", "training.optimizer.lr=0.05", "training.optimizer.schedule=epoch_faithful");
        var (data, tokenizer) = Open(config);

        var whole = RunFolder.CreateAt(Path.Combine(_dir.FullName, "whole"), config);
        using (var task = NewFinetune(config, tokenizer))
            new Trainer(config, data, tokenizer, whole).Run(task, null, CancellationToken.None);

        var parts = RunFolder.CreateAt(Path.Combine(_dir.FullName, "parts"), config);
        using var stop = new CancellationTokenSource();
        TrainingOutcome interrupted;
        using (var task = new InterceptingTask(NewFinetune(config, tokenizer), afterStep: p => { if (p.GlobalStep + 1 == 4) stop.Cancel(); }))
            interrupted = new Trainer(config, data, tokenizer, parts).Run(task, null, stop.Token);
        Assert.True(interrupted.Interrupted);
        var meta = CheckpointStore.ReadMetadata(interrupted.LastCheckpoint);
        Assert.Equal((1, 1, 4L), (meta.EpochsCompleted, meta.StepsIntoEpoch, meta.GlobalStep));

        using (var task = NewFinetune(config, tokenizer))
        {
            var resumed = new Trainer(config, data, tokenizer, parts).Run(task, interrupted.LastCheckpoint, CancellationToken.None);
            Assert.False(resumed.Interrupted);
        }
        var steps = Records(parts.Path, "step").Select(r => r["step"].GetInt64()).ToList();
        Assert.Equal([1L, 2, 3, 4, 5, 6], steps);

        var expected = CheckpointStore.ReadWeights(Path.Combine(whole.CheckpointsPath, "last"));
        var actual = CheckpointStore.ReadWeights(Path.Combine(parts.CheckpointsPath, "last"));
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (name, tensor) in expected)
            Assert.True(tensor.eq(actual[name]).all().item<bool>(), $"{name} differs after resume");
    }

    [Fact]
    public void FinetuneSignClReachesTheFrameEncoderFromItsStartEpochOnly()
    {
        var config = TinyExperiment.Config("signcl.enabled=true", "signcl.start_epoch=1", "signcl.lambda_finetune=1.0");
        var (data, tokenizer) = Open(config);
        using var batch = data.Batches(Split.Train, tokenizer, training: true, withMaskedText: false).Build([0, 1, 2, 3], 3);
        using var with = NewFinetune(config, tokenizer);
        using var without = NewFinetune(config with { SignCl = config.SignCl with { Enabled = false } }, tokenizer);

        var (before, beforeLog) = FrameEncoderGradient(with, with.Model.Backbone.FrameEncoder, batch, epoch: 0);
        var (plain, _) = FrameEncoderGradient(without, without.Model.Backbone.FrameEncoder, batch, epoch: 1);
        var (after, afterLog) = FrameEncoderGradient(with, with.Model.Backbone.FrameEncoder, batch, epoch: 1);
        Assert.False(beforeLog.ContainsKey("cl_loss"));
        Assert.True(afterLog["cl_loss"] > 0);
        Assert.Equal(plain, before);
        Assert.True(MaxDifference(plain, after) > 1e-6, "SignCL changed no frame-encoder gradient");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void PretrainSignClReachesTheFrameEncoderUnlessFaithfullyLogOnly(bool backprop)
    {
        var config = TinyExperiment.Config("signcl.enabled=true", "signcl.lambda_pretrain=1.0", $"signcl.pretrain_backprop={backprop}".ToLowerInvariant());
        var (data, tokenizer) = Open(config);
        using var batch = data.Batches(Split.Train, tokenizer, training: true, withMaskedText: true).Build([0, 1, 2, 3], 3);
        using var with = NewPretrain(config, tokenizer);
        using var without = NewPretrain(config with { SignCl = config.SignCl with { Enabled = false } }, tokenizer);

        var (plain, _) = FrameEncoderGradient(without, without.Model.Image.Backbone.FrameEncoder, batch, epoch: 0);
        var (signCl, log) = FrameEncoderGradient(with, with.Model.Image.Backbone.FrameEncoder, batch, epoch: 0);
        Assert.True(log["cl_loss"] > 0);
        if (backprop) Assert.True(MaxDifference(plain, signCl) > 1e-6, "SignCL changed no frame-encoder gradient");
        else Assert.Equal(plain, signCl);
    }

    private static (float[] Gradient, Dictionary<string, double> Log) FrameEncoderGradient(ITrainingTask task, nn.Module frameEncoder, SignBatch batch, int epoch)
    {
        using var scope = NewDisposeScope();
        task.SetTraining(true);
        task.BeginEpoch(epoch);
        var probe = new GradientProbe(new StepPosition(epoch, 1, 1), frameEncoder);
        task.TrainStep([new MicroBatch(batch, 0)], probe);
        return (probe.Gradient!, probe.Values);
    }

    /// <summary>
    /// A step context that takes the frame encoder's gradient of the step's first objective (the model's loss) instead
    /// of optimizing, and reads every logged value at once (a test may wait for the device).
    /// </summary>
    private sealed class GradientProbe(StepPosition position, nn.Module frameEncoder) : IStepContext
    {
        public StepPosition Position => position;
        public float[]? Gradient { get; private set; }
        public Dictionary<string, double> Values { get; } = [];

        public void Optimize(string optimizer, Tensor loss)
        {
            if (Gradient is not null) return;
            frameEncoder.zero_grad();
            loss.backward();
            Gradient = cat(frameEncoder.parameters().Select(p => p.grad!.flatten()).ToArray()).data<float>().ToArray();
        }

        public void Optimize(string optimizer, IReadOnlyList<MicroBatch> batches, Func<MicroBatch, Tensor> loss)
        {
            if (Gradient is not null) return;
            Optimize(optimizer, loss(batches[0]));
        }

        public void Log(string name, Tensor value) => Values[name] = value.item<float>();

        public void Log(string name, double value) => Values[name] = value;
    }

    private static double MaxDifference(float[] a, float[] b) => a.Zip(b, (x, y) => Math.Abs(x - y)).Max();
}
