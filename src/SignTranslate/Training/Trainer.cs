using System.Diagnostics;
using System.Globalization;
using Serilog;
using SignTranslate.Config;
using SignTranslate.Data;
using SignTranslate.Text;
using SignTranslate.Training.Checkpoints;
using SignTranslate.Training.Tasks;
using static TorchSharp.torch;

namespace SignTranslate.Training;

/// <summary>How a training run ended.</summary>
/// <param name="LastCheckpoint">Folder of the last checkpoint (always written, also on interruption).</param>
/// <param name="BestCheckpoint">Folder of the best checkpoint by the task's dev selection metric, if any evaluation ran.</param>
public sealed record TrainingOutcome(
    string RunFolder, string LastCheckpoint, string? BestCheckpoint, int EpochsCompleted, bool Interrupted,
    string? SelectionMetric, double? BestSelection);

/// <summary>
/// The one training loop of both stages (design principle 4): epochs of deterministic batches (order and augmentation
/// from the seed, prepared ahead on worker threads), per-step learning rates from each optimizer's cosine schedule,
/// backward + optional gradient clipping + step for each objective the task yields, dev evaluation every N epochs with
/// the best checkpoint kept, the last checkpoint after every epoch, metrics.jsonl and TensorBoard scalars, resume, and
/// a clean stop on cancellation that leaves a resumable checkpoint.
/// </summary>
public sealed class Trainer(ExperimentConfig config, ExperimentData data, ITextTokenizer tokenizer, RunFolder run, TextWriter? terminal = null)
{
    public const string LastFolder = "last";
    public const string BestFolder = "best";

    private readonly TrainingOptions _options = config.Training;

    public string LastCheckpoint => Path.Combine(run.CheckpointsPath, LastFolder);
    public string BestCheckpoint => Path.Combine(run.CheckpointsPath, BestFolder);

    /// <param name="task">The stage.</param>
    /// <param name="resumeFrom">A checkpoint folder written by this trainer to continue from (weights, optimizers, RNG, position).</param>
    /// <param name="cancel">Stops training after the current step; a resumable checkpoint is written first.</param>
    public TrainingOutcome Run(ITrainingTask task, string? resumeFrom, CancellationToken cancel)
    {
        var seed = config.Run.Seed;
        var trainBatches = data.Batches(Split.Train, tokenizer, training: true, withMaskedText: task.NeedsMaskedText);
        var devBatches = data.Batches(Split.Dev, tokenizer, training: false, withMaskedText: false);
        var stepsPerEpoch = EpochPlan(trainBatches.Samples.Count, 0).Count;
        if (stepsPerEpoch == 0)
            throw new InputException($"no training step: {trainBatches.Samples.Count} training videos with batch size {_options.BatchSize} and drop_last");
        var slots = task.Optimizers.ToDictionary(s => s.Name);
        var schedules = task.Optimizers.ToDictionary(s => s.Name, s => new CosineSchedule(s.Options, _options.Epochs, stepsPerEpoch));

        int startEpoch = 0, skipSteps = 0;
        long globalStep = 0;
        double? best = null;
        if (resumeFrom is not null)
        {
            var meta = CheckpointStore.ReadMetadata(resumeFrom);
            if (meta.Stage != task.Stage)
                throw new InputException($"{resumeFrom}: a {meta.Stage} checkpoint cannot resume {task.Stage}");
            var weights = CheckpointStore.ReadWeights(resumeFrom);
            task.LoadStateDict(weights);
            foreach (var tensor in weights.Values) tensor.Dispose();
            CheckpointStore.RestoreTrainingState(resumeFrom, slots.ToDictionary(kv => kv.Key, kv => kv.Value.Optimizer));
            task.RestoreTaskState(meta.TaskState);
            (startEpoch, skipSteps, globalStep, best) = (meta.EpochsCompleted, meta.StepsIntoEpoch, meta.GlobalStep, meta.BestMetric);
            Log.Information("Resuming {Stage} from {Checkpoint}: epoch {Epoch}, step {Step} of it, {GlobalStep} steps done",
                task.Stage, resumeFrom, startEpoch + 1, skipSteps, globalStep);
        }

        var tensorBoard = utils.tensorboard.SummaryWriter(run.TensorBoardPath);
        var progress = new TrainingProgress(terminal, _options.Epochs, stepsPerEpoch, _options.LogEverySteps);
        string? selectionMetric = null;
        Log.Information("{Stage}: {Train} training videos, {Steps} steps per epoch, epochs {From}..{To}, run folder {Run}",
            task.Stage, trainBatches.Samples.Count, stepsPerEpoch, startEpoch + 1, _options.Epochs, run.Path);

        for (int epoch = startEpoch; epoch < _options.Epochs; epoch++)
        {
            task.BeginEpoch(epoch);
            task.SetTraining(true);
            var plan = EpochPlan(trainBatches.Samples.Count, epoch);
            var first = epoch == startEpoch ? skipSteps : 0;
            var sums = new Dictionary<string, (double Sum, int Count)>();
            using (var prefetch = new Prefetcher<SignBatch>(plan.Count - first,
                (i, _) => trainBatches.Build(plan[first + i], BatchPlan.Seed(seed, epoch, first + i)),
                config.Data.Prefetch.Workers, config.Data.Prefetch.BatchesAhead, cancel))
            {
                for (int step = first; step < plan.Count; step++)
                {
                    var batch = NextUnlessCancelled(prefetch, cancel);
                    if (batch is null)
                    {
                        progress.Clear();
                        Log.Warning("Interrupted at epoch {Epoch}, step {Step}: writing a resumable checkpoint", epoch + 1, step);
                        SaveLast(task, epoch, step, globalStep, best, new Dictionary<string, double>());
                        return new TrainingOutcome(run.Path, LastCheckpoint, Directory.Exists(BestCheckpoint) ? BestCheckpoint : null,
                            epoch, Interrupted: true, selectionMetric, best);
                    }
                    var clock = Stopwatch.StartNew();
                    var log = new Dictionary<string, double>();
                    var position = new StepPosition(epoch, step, globalStep);
                    using (batch)
                    using (var scope = NewDisposeScope())
                    {
                        foreach (var (name, slot) in slots)
                        {
                            var lr = schedules[name].LearningRate(epoch, step);
                            OptimizerFactory.SetLearningRate(slot.Optimizer, lr);
                            log[$"lr_{name}"] = lr;
                        }
                        foreach (var objective in task.TrainStep(batch, position, log))
                        {
                            var slot = slots[objective.Optimizer];
                            slot.Optimizer.zero_grad();
                            objective.Loss.backward();
                            if (slot.Options.GradClip > 0)
                                log[$"grad_norm_{slot.Name}"] = nn.utils.clip_grad_norm_(slot.Parameters, slot.Options.GradClip);
                            slot.Optimizer.step();
                        }
                    }
                    globalStep++;
                    foreach (var (key, value) in log)
                        sums[key] = sums.TryGetValue(key, out var s) ? (s.Sum + value, s.Count + 1) : (value, 1);
                    progress.Step(epoch, step, batch.Ids.Count, clock.Elapsed, log.GetValueOrDefault("loss", double.NaN), log.GetValueOrDefault("lr_model", double.NaN));
                    if (globalStep % _options.LogEverySteps == 0)
                        Record(tensorBoard, "step", epoch, globalStep, log.Select(kv => KeyValuePair.Create("train_" + kv.Key, kv.Value)));
                }
            }
            progress.Clear();
            var epochMetrics = sums.ToDictionary(kv => "train_" + kv.Key, kv => kv.Value.Sum / kv.Value.Count);
            bool isLast = epoch + 1 == _options.Epochs;
            if ((epoch + 1) % _options.EvalEveryEpochs == 0 || isLast)
            {
                var result = Evaluate(task, devBatches, epoch, cancel);
                selectionMetric = result.SelectionMetric;
                foreach (var (key, value) in result.Metrics) epochMetrics[key] = value;
                if (result.IsBetterThan(best))
                {
                    best = result.Selection;
                    Save(BestCheckpoint, task, epoch + 1, 0, globalStep, best, epochMetrics, withTrainingState: false);
                    epochMetrics["best"] = 1;
                }
            }
            Record(tensorBoard, "epoch", epoch, globalStep, epochMetrics);
            Log.Information("epoch {Epoch}/{Epochs}: {Metrics}", epoch + 1, _options.Epochs, Describe(epochMetrics));
            SaveLast(task, epoch + 1, 0, globalStep, best, epochMetrics);
        }
        return new TrainingOutcome(run.Path, LastCheckpoint, Directory.Exists(BestCheckpoint) ? BestCheckpoint : null,
            _options.Epochs, Interrupted: false, selectionMetric, best);
    }

    /// <summary>The next training batch, or null once cancellation is requested (also while waiting for the batch).</summary>
    private static SignBatch? NextUnlessCancelled(Prefetcher<SignBatch> prefetch, CancellationToken cancel)
    {
        if (cancel.IsCancellationRequested) return null;
        try
        {
            return prefetch.Next() ?? throw new InvalidOperationException("the batch prefetcher ended early");
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            return null;
        }
    }

    private IReadOnlyList<int[]> EpochPlan(int samples, int epoch)
    {
        var plan = BatchPlan.Batches(samples, _options.BatchSize, shuffle: true, config.Run.Seed, epoch, _options.DropLast);
        return _options.MaxStepsPerEpoch > 0 ? plan.Take(_options.MaxStepsPerEpoch).ToList() : plan;
    }

    private EvaluationResult Evaluate(ITrainingTask task, SignBatchBuilder dev, int epoch, CancellationToken cancel)
    {
        var count = _options.EvalMaxSamples > 0 ? Math.Min(_options.EvalMaxSamples, dev.Samples.Count) : dev.Samples.Count;
        var clock = Stopwatch.StartNew();
        task.SetTraining(false);
        try
        {
            using var noGrad = no_grad();
            using var prefetch = EvaluationBatches.Prefetch(dev, count, task.EvaluationBatchSize, config.Run.Seed, config.Data.Prefetch, cancel);
            var result = task.Evaluate(prefetch.Remaining(), epoch, cancel);
            Log.Debug("dev evaluation of {Count} videos took {Seconds:0.0} s", count, clock.Elapsed.TotalSeconds);
            return result;
        }
        finally
        {
            task.SetTraining(true);
        }
    }

    private void SaveLast(ITrainingTask task, int epochsCompleted, int stepsIntoEpoch, long globalStep, double? best, IReadOnlyDictionary<string, double> metrics) =>
        Save(LastCheckpoint, task, epochsCompleted, stepsIntoEpoch, globalStep, best, metrics, withTrainingState: true);

    private void Save(string folder, ITrainingTask task, int epochsCompleted, int stepsIntoEpoch, long globalStep, double? best,
        IReadOnlyDictionary<string, double> metrics, bool withTrainingState)
    {
        var metadata = new CheckpointMetadata
        {
            Stage = task.Stage,
            EpochsCompleted = epochsCompleted,
            StepsIntoEpoch = stepsIntoEpoch,
            GlobalStep = globalStep,
            ConfigYaml = ConfigWriter.ToYaml(config),
            Metrics = metrics.Where(kv => double.IsFinite(kv.Value)).ToDictionary(),
            BestMetric = best,
            TaskState = task.TaskState,
        };
        CheckpointStore.Save(folder, task.StateDict(), metadata,
            withTrainingState ? task.Optimizers.ToDictionary(s => s.Name, s => s.Optimizer) : null, tokenizer);
    }

    private void Record(TorchSharp.Modules.SummaryWriter tensorBoard, string kind, int epoch, long globalStep, IEnumerable<KeyValuePair<string, double>> metrics)
    {
        var record = new Dictionary<string, object> { ["kind"] = kind, ["epoch"] = epoch + 1, ["step"] = globalStep };
        foreach (var (key, value) in metrics)
        {
            if (!double.IsFinite(value)) continue;
            record[key] = value;
            tensorBoard.add_scalar(key, (float)value, (int)globalStep);
        }
        run.AppendMetrics(record);
    }

    private static string Describe(IReadOnlyDictionary<string, double> metrics) =>
        string.Join(", ", metrics.Where(kv => !kv.Key.StartsWith("train_lr", StringComparison.Ordinal))
            .Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key} {kv.Value:0.####}")));
}
