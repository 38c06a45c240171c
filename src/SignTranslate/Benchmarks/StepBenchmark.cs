using System.Diagnostics;
using SignTranslate.Checkpoints;
using SignTranslate.Data;
using SignTranslate.Models;
using SignTranslate.Text;
using SignTranslate.Training;
using SignTranslate.Training.Tasks;
using TorchSharp;
using static TorchSharp.torch;

namespace SignTranslate.Benchmarks;

/// <summary>What <see cref="StepBenchmark"/> runs: one stage's training step on random inputs of these shapes.</summary>
public sealed record StepBenchmarkSettings
{
    /// <summary><c>finetune</c> or <c>pretrain</c>.</summary>
    public string Stage { get; init; } = "finetune";

    /// <summary>Raw frames per video, before the configured collation pads them (reference scheme: 4·⌈N/4⌉+16). Default 80.</summary>
    public int Frames { get; init; } = 80;

    /// <summary>Videos per batch. Default 2 (the Phoenix finetuning recipe's per-GPU batch).</summary>
    public int Batch { get; init; } = 2;

    /// <summary>Target tokens per sentence, &lt;/s&gt; and the language code included. Default 20.</summary>
    public int Text { get; init; } = 20;

    /// <summary>Timed steps; the median of each part is reported. Default 5.</summary>
    public int Steps { get; init; } = 5;

    /// <summary>Untimed steps before timing (allocator and oneDNN caches warm up). Default 1.</summary>
    public int Warmup { get; init; } = 1;

    /// <summary>Ids of the random vocabulary. Default 2454, the trimmed mBART-cc25 vocabulary of Phoenix-2014T.</summary>
    public int Vocab { get; init; } = 2454;

    /// <summary>Seed of the model's initialisation and of the random inputs.</summary>
    public int Seed { get; init; }

    /// <summary>
    /// Time the translation model's forward in evaluation mode without gradient (what dev evaluation and translation run
    /// before decoding) instead of a training step. Finetuning only.
    /// </summary>
    public bool Evaluate { get; init; }

    /// <summary>After the steps, time each part of the translation model alone (<see cref="StepParts"/>). Finetuning only.</summary>
    public bool Parts { get; init; }
}

/// <summary>
/// Medians in milliseconds over the timed steps (forward = the step minus backward and optimizer), the process's peak
/// resident memory, and what was resident once the model, optimizer state and batch existed but before the first step.
/// Field names are those of <c>scripts/bench-step-pytorch.py</c>'s JSON.
/// </summary>
public sealed record StepBenchmarkResult(
    string Implementation, string Stage, string Device, int Threads, int Frames, int PaddedFrames, int Batch, int Text,
    int Steps, long Parameters, double StepMs, double ForwardMs, double BackwardMs, double OptimizerMs, double PeakRssMb,
    double RssBeforeStepsMb, IReadOnlyList<double> StepsMs, IReadOnlyList<StepPartTiming>? Parts);

/// <summary>
/// Times the real training step of a stage (<see cref="FinetuneTask"/> or <see cref="PretrainTask"/>, through the
/// trainer's <see cref="StepContext"/>) on a freshly initialised model of the configured size, fed one random batch of
/// the given shapes again and again. Nothing is read from disk: the vocabulary is a made-up one of
/// <see cref="StepBenchmarkSettings.Vocab"/> ids. In pretraining every step also runs the masked-text decoder update
/// (the recipe runs it on every fifth step), so that every timed step does the same work.
/// </summary>
public static class StepBenchmark
{
    private const double Megabyte = 1024.0 * 1024.0;

    public static StepBenchmarkResult Run(ExperimentConfig config, StepBenchmarkSettings settings, Action<string>? progress = null,
        CancellationToken cancel = default)
    {
        if ((settings.Evaluate || settings.Parts) && settings.Stage != "finetune")
            throw new InputException($"--{(settings.Evaluate ? "eval" : "parts")} times the translation model: use --stage finetune");
        if (config.Model.Input != Models.ModelInput.Rgb)
            throw new InputException($"model.input: slt bench step feeds random RGB frames; set model.input: rgb (the config says {Config.ConfigSchema.EnumName(config.Model.Input)})");
        var device = TrainedModels.PrepareDevice(config);
        manual_seed(settings.Seed);
        var tokenizer = RandomVocabulary(settings.Vocab, config.Data.Tokenizer.Language);
        using var task = CreateTask(settings.Stage, config, tokenizer, device, out var parameters);
        using var batch = RandomBatch(config, settings, tokenizer);
        progress?.Invoke($"{settings.Stage}: {parameters:N0} parameters, batch {settings.Batch} × {batch.Video.PaddedLengths[0]} frames of " +
            $"{batch.Video.Frames!.shape[2]}×{batch.Video.Frames.shape[3]}, {batch.Text.InputIds.shape[1]} tokens, {get_num_threads()} threads, {device}");

        task.SetTraining(!settings.Evaluate);
        task.BeginEpoch(0);
        var slots = task.Optimizers.ToDictionary(s => s.Name);
        using var scalars = new LoggedScalars(new Dictionary<string, RunningSum>());
        var steps = new List<StepPhaseTimer>();
        var rssBeforeSteps = Process.GetCurrentProcess().WorkingSet64 / Megabyte;
        for (var step = 0; step < settings.Warmup + settings.Steps; step++)
        {
            cancel.ThrowIfCancellationRequested();
            var timer = new StepPhaseTimer(device);
            using (NewDisposeScope())
            {
                if (settings.Evaluate)
                    EvaluationForward(task, batch, device);
                else
                {
                    scalars.BeginStep();
                    // Step 0 of an epoch: pretraining runs the masked-text decoder update too.
                    task.TrainStep([new MicroBatch(batch, 0)], new StepContext(new StepPosition(0, 0, step), slots, scalars, timer));
                    scalars.EndStep();
                }
            }
            NativeMemory.ReleaseFreeMemory();   // as the trainer does after each step
            timer.Mark(StepPhase.Forward);   // what followed the last optimisation, the scope's release included
            var warm = step < settings.Warmup;
            progress?.Invoke($"{(warm ? "warm-up" : "step")} {(warm ? step + 1 : step - settings.Warmup + 1)}/{(warm ? settings.Warmup : settings.Steps)}: " +
                $"{timer.TotalMilliseconds / 1000:0.00} s (forward {timer.Milliseconds(StepPhase.Forward) / 1000:0.00}, " +
                $"backward {timer.Milliseconds(StepPhase.Backward) / 1000:0.00}, optimizer {timer.Milliseconds(StepPhase.Optimizer) / 1000:0.00})");
            if (!warm) steps.Add(timer);
        }

        var peak = Process.GetCurrentProcess().PeakWorkingSet64 / Megabyte;
        IReadOnlyList<StepPartTiming>? parts = null;
        if (settings.Parts)
        {
            parts = StepParts.Measure(((FinetuneTask)task).Model, batch, config.Training.LabelSmoothing, tokenizer.PadId, settings.Steps, device);
        }
        return new StepBenchmarkResult("signtranslate", settings.Evaluate ? settings.Stage + "-eval" : settings.Stage, device.ToString(), get_num_threads(), settings.Frames,
            batch.Video.PaddedLengths[0], settings.Batch, (int)batch.Text.InputIds.shape[1], settings.Steps, parameters,
            Timings.Median(steps.Select(t => t.TotalMilliseconds)),
            Timings.Median(steps.Select(t => t.Milliseconds(StepPhase.Forward))),
            Timings.Median(steps.Select(t => t.Milliseconds(StepPhase.Backward))),
            Timings.Median(steps.Select(t => t.Milliseconds(StepPhase.Optimizer))),
            peak, rssBeforeSteps, [.. steps.Select(t => Math.Round(t.TotalMilliseconds, 1))], parts);
    }

    // The teacher-forced forward of the translation model, as FinetuneTask.TrainStep feeds it, without gradient.
    private static void EvaluationForward(ITrainingTask task, SignBatch batch, Device device)
    {
        var model = ((FinetuneTask)task).Model;
        using var _ = no_grad();
        model.Forward(batch.Video.Inputs(device), batch.Video.Lengths, batch.Video.AttentionMask.to(device),
            batch.Text.InputIds.to(device), batch.Text.AttentionMask.to(device));
    }

    private static ITrainingTask CreateTask(string stage, ExperimentConfig config, ITextTokenizer tokenizer, Device device, out long parameters)
    {
        switch (stage)
        {
            case "pretrain":
                var (model, decoder) = TrainedModels.NewVlp(config, tokenizer);
                parameters = ParameterCount.Unique(model) + ParameterCount.Unique(decoder);
                model.to(device);
                decoder.to(device);
                return new PretrainTask(model, decoder, tokenizer, config.Training, config.SignCl, config.Run.Seed, device);
            case "finetune":
                var slt = TrainedModels.NewSlt(config, tokenizer);
                parameters = ParameterCount.Unique(slt);
                slt.to(device);
                return new FinetuneTask(slt, tokenizer, config.Training, config.Eval, config.SignCl, config.Run.Seed, device);
            default:
                throw new InputException($"--stage {stage}: expected finetune or pretrain");
        }
    }

    /// <summary>A word vocabulary of exactly <paramref name="size"/> ids (the specials included).</summary>
    private static VocabularyTokenizer RandomVocabulary(int size, string language)
    {
        var words = size - SpecialIds.VocabularySize(0);
        if (words < 1) throw new InputException($"--vocab {size}: expected at least {SpecialIds.VocabularySize(1)} ids");
        return VocabularyTokenizer.TrainWords(Enumerable.Range(0, words).Select(i => $"w{i}"), language);
    }

    /// <summary>Random frames collated as configured, and random sentences of exactly <see cref="StepBenchmarkSettings.Text"/> ids.</summary>
    private static SignBatch RandomBatch(ExperimentConfig config, StepBenchmarkSettings settings, VocabularyTokenizer tokenizer)
    {
        var frames = config.Data.Frames;
        var generator = new Generator((ulong)settings.Seed);
        var clips = Enumerable.Range(0, settings.Batch)
            .Select(_ => randn([settings.Frames, 3, frames.CropHeight, frames.CropWidth], generator: generator)).ToList();
        var rng = new Random(settings.Seed);
        // Encode appends </s> and the language code to the words.
        var texts = Enumerable.Range(0, settings.Batch)
            .Select(_ => string.Join(' ', Enumerable.Range(0, settings.Text - 2).Select(_ => tokenizer.Units[rng.Next(tokenizer.Units.Count)])))
            .ToList();
        var masked = texts.Select(t => TextNoise.Apply(t, config.Data.MaskedText, rng)).ToList();
        try
        {
            return new SignBatch
            {
                Ids = [.. Enumerable.Range(0, settings.Batch).Select(i => $"random-{i}")],
                Texts = texts,
                Video = VideoCollator.Collate(clips, config.Data.Collation.Padding),
                Text = TextBatchEncoder.Encode(tokenizer, texts),
                MaskedTexts = masked,
                MaskedText = TextBatchEncoder.Encode(tokenizer, masked),
            };
        }
        finally
        {
            foreach (var clip in clips) clip.Dispose();
        }
    }
}
