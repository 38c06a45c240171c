using System.Diagnostics;
using System.Globalization;
using Serilog;
using SignTranslate.Checkpoints;
using SignTranslate.Config;
using SignTranslate.Data;
using SignTranslate.Distributed;
using SignTranslate.Text;
using SignTranslate.Training.Tasks;
using static TorchSharp.torch;

namespace SignTranslate.Training;

/// <summary>How a training run ended.</summary>
/// <param name="LastCheckpoint">The <c>last</c> link of the run (always written, also on interruption).</param>
/// <param name="BestCheckpoint">The <c>best</c> link, if an evaluation ran.</param>
public sealed record TrainingOutcome(
    string RunFolder, string LastCheckpoint, string? BestCheckpoint, int EpochsCompleted, bool Interrupted,
    string? SelectionMetric, double? BestSelection);

/// <summary>
/// The one training loop of both stages (design principle 4): epochs of deterministic batches (order and augmentation
/// from the seed, prepared ahead on worker threads), per-step learning rates from each optimizer's cosine schedule,
/// a step context through which the task runs each optimisation (backward + optional gradient clipping + step) and logs
/// tensors, read back once per log interval (<see cref="LoggedScalars"/>), dev evaluation every N epochs with the best
/// checkpoint kept, the last checkpoint after every epoch, metrics.jsonl and TensorBoard scalars, resume, and a clean
/// stop on cancellation (during a step or a dev evaluation) that leaves a resumable checkpoint.
/// </summary>
/// <param name="checkpoints">The run's checkpoints, already opened (and recovered) by the caller; opened here when null.</param>
/// <param name="group">The processes of a data-parallel run (docs/distributed.md): each trains its share of every step's
/// micro-batches, gradients are averaged over all, and only process 0 writes checkpoints and metrics; null in one process.</param>
public sealed class Trainer(
    ExperimentConfig config, ExperimentData data, ITextTokenizer tokenizer, RunFolder run, TextWriter? terminal = null,
    RunCheckpoints? checkpoints = null, IProcessGroup? group = null)
{
    private readonly TrainingOptions _options = config.Training;
    private readonly int _rank = group?.Rank ?? 0;
    private readonly int _processes = group?.Size ?? 1;
    /// <summary>Whether this process writes the run's files: the only one, or process 0 of a data-parallel run.</summary>
    private bool Writes => _rank == 0;
    private RunCheckpoints? _checkpoints = checkpoints;
    private LoggedScalars? _scalars;

    public string LastCheckpoint => Path.Combine(run.CheckpointsPath, RunCheckpoints.LastLink);
    public string BestCheckpoint => Path.Combine(run.CheckpointsPath, RunCheckpoints.BestLink);

    /// <summary>
    /// Transfers of logged values from the device to the host during the last <see cref="Run"/>: one per log interval
    /// (<c>training.log_every_steps</c>), one at the end of each epoch unless the interval's read fell on its last step,
    /// and one when a cancellation writes a checkpoint mid-epoch. Steps in between read nothing, so a GPU never waits
    /// for the host; the tests count these to keep it so.
    /// </summary>
    public int HostReads => _scalars?.HostReads ?? 0;

    /// <param name="task">The stage.</param>
    /// <param name="resumeFrom">A checkpoint written by this trainer to continue from (weights, optimizers, RNG, position).</param>
    /// <param name="cancel">Stops training after the current step or during the dev evaluation; a resumable checkpoint is written first.</param>
    public TrainingOutcome Run(ITrainingTask task, string? resumeFrom, CancellationToken cancel)
    {
        var store = Writes ? _checkpoints ??= RunCheckpoints.Open(run.CheckpointsPath) : null;
        var seed = config.Run.Seed;
        var trainBatches = data.Batches(Split.Train, tokenizer, training: true, withMaskedText: task.NeedsMaskedText);
        var devBatches = data.Batches(Split.Dev, tokenizer, training: false, withMaskedText: false);
        var stepsPerEpoch = StepCount(EpochPlan(trainBatches.Samples.Count, 0));
        if (stepsPerEpoch == 0)
            throw new InputException(SlotsPerStep == 1
                ? $"no training step: {trainBatches.Samples.Count} training videos with batch size {_options.BatchSize} and drop_last"
                : $"no training step: {trainBatches.Samples.Count} training videos fill no step of {SlotsPerStep} micro-batches of {_options.BatchSize} ({_processes} process(es) × accumulate_steps {_options.AccumulateSteps})");
        var slots = task.Optimizers.ToDictionary(s => s.Name);
        var buffers = SlotsPerStep > 1 ? task.Buffers().ToList() : [];
        var schedules = task.Optimizers.ToDictionary(s => s.Name, s => new CosineSchedule(s.Options, _options.Epochs, stepsPerEpoch));

        var state = new RunState();
        if (resumeFrom is not null)
        {
            resumeFrom = RunCheckpoints.Resolve(resumeFrom);
            var meta = CheckpointStore.ReadMetadata(resumeFrom);
            if (meta.Stage != task.Stage)
                throw new InputException($"{resumeFrom}: a {meta.Stage} checkpoint cannot resume {task.Stage}");
            var weights = CheckpointStore.ReadWeights(resumeFrom);
            task.LoadStateDict(weights);
            foreach (var tensor in weights.Values) tensor.Dispose();
            CheckpointStore.RestoreTrainingState(resumeFrom, slots.ToDictionary(kv => kv.Key, kv => kv.Value.Optimizer));
            task.RestoreTaskState(meta.TaskState);
            CheckProcesses(meta, resumeFrom);
            state = RunState.Of(meta);
            Log.Information("Resuming {Stage} from {Checkpoint}: epoch {Epoch}, step {Step} of it, {GlobalStep} steps done",
                task.Stage, resumeFrom, state.Epoch + 1, state.Step, state.GlobalStep);
        }
        // Every process starts from process 0's weights (and buffers), as DDP does.
        if (group is not null) group.BroadcastFromFirst(task.StateDict().Select(kv => kv.Value).ToList());
        var startEpoch = state.Epoch;
        var skipSteps = state.Step;
        // The position on disk: writing it again would only repeat the same checkpoint.
        (int Epoch, int Step)? saved = resumeFrom is null ? null : (state.Epoch, state.Step);

        var metrics = Writes ? MetricsLog.Open(run, startEpoch, state.GlobalStep) : null;
        using var scalars = new LoggedScalars(state.Sums, group);
        // The processes of a data-parallel run stop together, at a step they agree on; the others stop where asked.
        var stepCancel = group is null ? cancel : CancellationToken.None;
        bool Stopping() => group is null ? cancel.IsCancellationRequested : group.Any(cancel.IsCancellationRequested);
        if (group is not null)
            Log.Information("data-parallel: process {Rank} of {Size}, {Slots} micro-batches of {Batch} videos per step; {Backend}",
                _rank, _processes, SlotsPerStep, _options.BatchSize, group.Describe());
        _scalars = scalars;
        var mainOptimizer = task.Optimizers[0].Name;
        // The loss the progress line shows: that of the last step whose values were read.
        var lastLoss = double.NaN;
        var progress = new TrainingProgress(terminal, _options.Epochs, stepsPerEpoch);
        Log.Information("{Stage}: {Train} training videos, {Steps} steps per epoch, epochs {From}..{To}, run folder {Run}",
            task.Stage, trainBatches.Samples.Count, stepsPerEpoch, startEpoch + 1, _options.Epochs, run.Path);

        TrainingOutcome Interrupt(int epoch, int step, bool duringEvaluation = false)
        {
            progress.Clear();
            if (saved != (epoch, step))
            {
                Log.Warning("Interrupted {Where:l} of epoch {Epoch}: writing a resumable checkpoint",
                    duringEvaluation ? "during the dev evaluation" : $"after step {step}", epoch + 1);
                // The checkpoint carries the epoch's running sums: the one read a cancellation needs (every process reads).
                var sums = scalars.Sums();
                Save(store, task, state with { Epoch = epoch, Step = step, Sums = sums }, new Dictionary<string, double>(), bestMetrics: null);
            }
            return Outcome(epoch, interrupted: true, state);
        }

        for (int epoch = startEpoch; epoch < _options.Epochs; epoch++)
        {
            // Cancelled while the previous epoch's checkpoint was written: that checkpoint is the resumable state.
            if (saved == (epoch, 0) && Stopping()) return Outcome(epoch, interrupted: true, state);
            task.BeginEpoch(epoch);
            task.SetTraining(true);
            var plan = EpochPlan(trainBatches.Samples.Count, epoch);
            var steps = StepCount(plan);
            var first = epoch == startEpoch ? skipSteps : 0;
            // This process's micro-batches (indices into the plan) of the epoch's remaining steps, in order.
            var mine = Enumerable.Range(first, Math.Max(0, steps - first)).SelectMany(step => MicroBatchesOf(step, plan.Count)).ToList();
            using (var prefetch = new Prefetcher<SignBatch>(mine.Count,
                (i, _) => trainBatches.Build(plan[mine[i]], BatchPlan.Seed(seed, epoch, mine[i])),
                config.Data.Prefetch.Workers, config.Data.Prefetch.BatchesAhead, stepCancel))
            {
                var epochClock = Stopwatch.StartNew();
                var waited = TimeSpan.Zero;
                for (int step = first; step < steps; step++)
                {
                    if (group is not null && Stopping()) return Interrupt(epoch, step);
                    var waiting = Stopwatch.StartNew();
                    var batches = new List<MicroBatch>();
                    foreach (var index in MicroBatchesOf(step, plan.Count))
                    {
                        if (NextUnlessCancelled(prefetch, stepCancel) is not { } batch) break;
                        batches.Add(new MicroBatch(batch, index - step * SlotsPerStep));
                    }
                    waited += waiting.Elapsed;
                    if (batches.Count < MicroBatchesOf(step, plan.Count).Count())
                    {
                        foreach (var micro in batches) micro.Batch.Dispose();
                        return Interrupt(epoch, step);
                    }
                    var clock = Stopwatch.StartNew();
                    var position = new StepPosition(epoch, step, state.GlobalStep);
                    var learningRates = new Dictionary<string, double>();
                    var videos = batches.Sum(b => b.Batch.Ids.Count);
                    bool read;
                    using (var scope = NewDisposeScope())
                    using (new CollectionFreeStep())
                    {
                        scalars.BeginStep();
                        var microBatching = SlotsPerStep == 1 ? MicroBatching.None
                            : new MicroBatching(seed, SlotsPerStep, buffers, group);
                        var context = new StepContext(position, slots, scalars, microBatches: microBatching);
                        foreach (var (name, slot) in slots)
                        {
                            var lr = learningRates[name] = schedules[name].LearningRate(epoch, step);
                            OptimizerFactory.SetLearningRate(slot.Optimizer, lr);
                            context.Log($"lr_{name}", lr);
                        }
                        try
                        {
                            task.TrainStep(batches, context);
                        }
                        finally
                        {
                            foreach (var micro in batches) micro.Batch.Dispose();
                        }
                        state = state with { Step = step + 1, GlobalStep = state.GlobalStep + 1 };
                        // The one read of a log interval; the epoch's last step reads too, for the epoch's means.
                        var logged = state.GlobalStep % _options.LogEverySteps == 0;
                        read = logged || step + 1 == steps;
                        if (read)
                        {
                            var values = scalars.ReadStep();
                            lastLoss = values.FirstOrDefault(kv => kv.Key == "loss", KeyValuePair.Create("loss", double.NaN)).Value;
                            if (logged)
                                metrics?.Append("step", epoch, state.GlobalStep, values.Select(kv => KeyValuePair.Create("train_" + kv.Key, kv.Value)));
                        }
                        scalars.EndStep();
                    }
                    NativeMemory.ReleaseFreeMemory();
                    progress.Step(epoch, step, videos, clock.Elapsed, lastLoss, learningRates[mainOptimizer], read);
                }
                TrainingProgress.LogDataWait(epoch, waited, epochClock.Elapsed);
            }
            progress.Clear();
            state = state with { Sums = scalars.Sums() };
            var epochMetrics = state.Sums.ToDictionary(kv => "train_" + kv.Key, kv => kv.Value.Mean);
            Dictionary<string, double>? bestMetrics = null;
            bool isLast = epoch + 1 == _options.Epochs;
            if ((epoch + 1) % _options.EvalEveryEpochs == 0 || isLast)
            {
                EvaluationResult result;
                try
                {
                    // Every process evaluates (the dev evaluation is not sharded), so that task state fed by it, such as
                    // SignCL's λ decay, stays the same everywhere.
                    result = Evaluate(task, devBatches, epoch, stepCancel);
                }
                catch (OperationCanceledException) when (cancel.IsCancellationRequested)
                {
                    return Interrupt(epoch, steps, duringEvaluation: true);
                }
                state = state with { SelectionMetric = result.SelectionMetric };
                foreach (var (key, value) in result.Metrics) epochMetrics[key] = value;
                if (result.IsBetterThan(state.Best))
                {
                    state = state with { Best = result.Selection };
                    bestMetrics = new Dictionary<string, double>(epochMetrics);
                    epochMetrics["best"] = 1;
                }
            }
            metrics?.Append("epoch", epoch, state.GlobalStep, epochMetrics);
            Log.Information("epoch {Epoch}/{Epochs}: {Metrics}", epoch + 1, _options.Epochs, Describe(epochMetrics));
            // Collections matter beyond speed here: docs/training.md#a-rare-internal-error.
            Log.Debug("garbage collections so far: gen0 {Gen0}, gen1 {Gen1}, gen2 {Gen2}; {Megabytes:F0} MB allocated",
                GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalAllocatedBytes() / 1e6);
            state = state with { Epoch = epoch + 1, Step = 0, Sums = new Dictionary<string, RunningSum>() };
            scalars.Reset();
            Save(store, task, state, epochMetrics, bestMetrics);
            saved = (epoch + 1, 0);
        }
        return Outcome(_options.Epochs, interrupted: false, state);
    }

    private TrainingOutcome Outcome(int epochsCompleted, bool interrupted, RunState state) =>
        new(run.Path, LastCheckpoint, Directory.Exists(BestCheckpoint) ? BestCheckpoint : null, epochsCompleted, interrupted,
            state.SelectionMetric, state.Best);

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

    /// <summary>Micro-batches of one optimizer step over all processes: accumulate_steps of them per process.</summary>
    private int SlotsPerStep => _options.AccumulateSteps * _processes;

    /// <summary>The micro-batches of an epoch (each of batch_size videos), in order; a step takes <see cref="SlotsPerStep"/> of them.</summary>
    private IReadOnlyList<int[]> EpochPlan(int samples, int epoch)
    {
        var plan = BatchPlan.Batches(samples, _options.BatchSize, shuffle: true, config.Run.Seed, epoch, _options.DropLast);
        if (_options.MaxStepsPerEpoch > 0) plan = plan.Take(_options.MaxStepsPerEpoch * SlotsPerStep).ToList();
        // Several processes run the same steps, each its share, so micro-batches that fill no whole step are left out;
        // accumulating in one process leaves out the same ones, so that it stays the same computation.
        return SlotsPerStep > 1 ? plan.Take(plan.Count / SlotsPerStep * SlotsPerStep).ToList() : plan;
    }

    /// <summary>Optimizer steps of an epoch's plan.</summary>
    private int StepCount(IReadOnlyList<int[]> plan) => (plan.Count + SlotsPerStep - 1) / SlotsPerStep;

    /// <summary>
    /// The plan indices of this process's micro-batches in optimizer step <paramref name="step"/>: process r of N takes
    /// the step's slots r·k … r·k + k − 1, so N processes with k each run what one process with N·k runs.
    /// </summary>
    private IEnumerable<int> MicroBatchesOf(int step, int planCount)
    {
        var start = step * SlotsPerStep + _rank * _options.AccumulateSteps;
        return Enumerable.Range(start, Math.Max(0, Math.Min(_options.AccumulateSteps, planCount - start)));
    }

    /// <summary>
    /// A checkpoint's steps are made of its run's micro-batches per step (processes × accumulate_steps); resuming with
    /// another count would give its positions another meaning.
    /// </summary>
    private void CheckProcesses(CheckpointMetadata meta, string checkpoint)
    {
        var written = Math.Max(1, meta.Processes);
        var slots = written * ResumedAccumulation(meta);
        if (written == _processes && slots == SlotsPerStep) return;
        if (slots == SlotsPerStep)
        {
            Log.Warning("{Checkpoint} was written by {Written} processes, resumed by {Now}, with the same {Slots} micro-batches per step",
                checkpoint, written, _processes, slots);
            return;
        }
        throw new InputException(
            $"{checkpoint}: written by {written} process(es) with {slots} micro-batches per step; this run has {_processes} process(es) with " +
            $"{SlotsPerStep}: resume with mpirun -np {written} (or set training.accumulate_steps so that processes × accumulate_steps = {slots})");
    }

    private static int ResumedAccumulation(CheckpointMetadata meta) =>
        ConfigLoader.Parse<ExperimentConfig>(meta.ConfigYaml, "checkpoint config_yaml").Training.AccumulateSteps;

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

    /// <param name="bestMetrics">The metrics of a new best checkpoint, written beside the full one; null when the best stays.</param>
    private void Save(RunCheckpoints? store, ITrainingTask task, RunState state, IReadOnlyDictionary<string, double> metrics,
        IReadOnlyDictionary<string, double>? bestMetrics)
    {
        if (store is null) return;
        var metadata = new CheckpointMetadata
        {
            Stage = task.Stage,
            Processes = _processes > 1 ? _processes : 0,
            EpochsCompleted = state.Epoch,
            StepsIntoEpoch = state.Step,
            GlobalStep = state.GlobalStep,
            ConfigYaml = ConfigWriter.ToYaml(config),
            Metrics = Finite(metrics),
            BestMetric = state.Best,
            SelectionMetric = state.SelectionMetric,
            TaskState = task.TaskState,
            EpochSums = state.Sums,
        };
        var weights = task.StateDict().ToList();
        var optimizers = task.Optimizers.ToDictionary(s => s.Name, s => s.Optimizer);
        var clock = Stopwatch.StartNew();
        try
        {
            store.Save(new CheckpointContent(weights, metadata, optimizers, tokenizer),
                bestMetrics is null ? null : new CheckpointContent(weights, metadata with { Metrics = Finite(bestMetrics), EpochSums = new Dictionary<string, RunningSum>() }, null, tokenizer));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException(
                $"{run.CheckpointsPath}: writing a checkpoint failed ({e.Message}); the last complete checkpoint is intact: fix the cause, then continue with slt {task.Stage} --resume {run.Path}", e);
        }
        Log.Debug("checkpoint {Name} written in {Seconds:0.00} s", RunCheckpoints.NameOf(metadata), clock.Elapsed.TotalSeconds);
    }

    private static Dictionary<string, double> Finite(IReadOnlyDictionary<string, double> metrics) =>
        metrics.Where(kv => double.IsFinite(kv.Value)).ToDictionary();

    private static string Describe(IReadOnlyDictionary<string, double> metrics) =>
        string.Join(", ", metrics.Where(kv => !kv.Key.StartsWith("train_lr", StringComparison.Ordinal))
            .Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key} {kv.Value:0.####}")));

    /// <summary>
    /// Where training stands: the position (epochs completed, steps into the next), the running sums of the current
    /// epoch, and the best selection value so far; what a checkpoint records of the loop.
    /// </summary>
    private sealed record RunState
    {
        public int Epoch { get; init; }
        public int Step { get; init; }
        public long GlobalStep { get; init; }
        public IReadOnlyDictionary<string, RunningSum> Sums { get; init; } = new Dictionary<string, RunningSum>();
        public double? Best { get; init; }
        public string? SelectionMetric { get; init; }

        public static RunState Of(CheckpointMetadata meta) => new()
        {
            Epoch = meta.EpochsCompleted,
            Step = meta.StepsIntoEpoch,
            GlobalStep = meta.GlobalStep,
            Sums = meta.EpochSums,
            Best = meta.BestMetric,
            SelectionMetric = meta.SelectionMetric,
        };
    }
}
