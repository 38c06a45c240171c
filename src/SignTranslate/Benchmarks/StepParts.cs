using System.Diagnostics;
using SignTranslate.Data;
using SignTranslate.Losses;
using SignTranslate.Models;
using static TorchSharp.torch;

namespace SignTranslate.Benchmarks;

/// <summary>One part of the translation model: median forward and backward milliseconds, and the process's resident
/// memory growth while the part ran (its activations and gradients).</summary>
public sealed record StepPartTiming(string Part, double ForwardMs, double BackwardMs, double PeakGrowthMb);

/// <summary>
/// Where the finetuning step's time goes: each part of <see cref="SltModel"/> run alone, forward then backward, on
/// inputs of the shapes the step feeds it (random, so that no part waits for another). The parts: the frame CNN over
/// all frames, TemporalConv with its BatchNorms, sign_emb, the mBART layers (embeddings, attention, FFN, layer norms),
/// and the LM head with the label-smoothed loss.
/// </summary>
public static class StepParts
{
    public static IReadOnlyList<StepPartTiming> Measure(SltModel model, SignBatch batch, double labelSmoothing, int padId, int repeats, Device device)
    {
        model.train();
        var frames = (batch.Video.Frames ?? throw new InputException("the step parts are measured for RGB models (model.input: rgb)")).to(device);
        var lengths = batch.Video.Lengths;
        var mask = batch.Video.AttentionMask.to(device);
        var labels = batch.Text.InputIds.to(device);
        var labelMask = batch.Text.AttentionMask.to(device);
        var videos = batch.Video.PaddedLengths.Count;
        var paddedFrames = batch.Video.PaddedLengths.Max();
        var steps = mask.shape[1];
        var options = model.Options;
        var mbart = model.MBart;

        return
        [
            Time("frame CNN (ResNet-18 or small CNN, all frames)", repeats, device,
                () => model.Backbone.FrameEncoder.FrameNetwork.call(frames)),
            Time("TemporalConv (2 convs, 2 BatchNorms, pools)", repeats, device,
                () => model.Backbone.TemporalConv.Forward(Input([videos, paddedFrames, options.Visual.FrameFeatureSize], device), null)),
            Time("mBART encoder + decoder layers", repeats, device, () =>
            {
                var embeds = Input([videos, steps, options.Mbart.DModel], device);
                var encoded = mbart.Model.Encoder.Forward(null, mask, embeds).LastHiddenState;
                var decoderIds = MBartForConditionalGeneration.ShiftTokensRight(labels, options.Mbart.PadTokenId);
                return mbart.Model.Decoder.Forward(decoderIds, labelMask, encoded, mask).LastHiddenState;
            }),
            Time("LM head + label-smoothed cross-entropy", repeats, device, () =>
            {
                var hidden = Input([videos, labels.shape[1], options.Mbart.DModel], device);
                return TokenCrossEntropy.Compute(mbart.Logits(hidden), labels, padId, labelSmoothing);
            }),
        ];
    }

    private static Tensor Input(long[] shape, Device device) => randn(shape, device: device).requires_grad_();

    // forward() → output; backward of Σ output·g with a random g of its shape (a scalar output: backward() itself).
    private static StepPartTiming Time(string part, int repeats, Device device, Func<Tensor> forward)
    {
        var forwardMs = new List<double>();
        var backwardMs = new List<double>();
        var process = Process.GetCurrentProcess();
        double peakGrowth = 0;
        for (var run = 0; run <= repeats; run++)
        {
            using var scope = NewDisposeScope();
            process.Refresh();
            var before = process.WorkingSet64;
            ResetPeak();
            var clock = Stopwatch.StartNew();
            var output = forward();
            Synchronise(device);
            var forwardTime = clock.Elapsed.TotalMilliseconds;
            clock.Restart();
            if (output.numel() == 1) output.backward();
            else (output * randn_like(output)).sum().backward();
            Synchronise(device);
            if (run == 0) continue;   // warm-up
            forwardMs.Add(forwardTime);
            backwardMs.Add(clock.Elapsed.TotalMilliseconds);
            process.Refresh();
            peakGrowth = Math.Max(peakGrowth, (process.PeakWorkingSet64 - before) / (1024.0 * 1024.0));
        }
        return new StepPartTiming(part, Timings.Median(forwardMs), Timings.Median(backwardMs), peakGrowth);
    }

    private static void Synchronise(Device device)
    {
        if (device.type == TorchSharp.DeviceType.CUDA) cuda.synchronize(device);
    }

    // Linux: writing 5 to clear_refs resets the peak resident size to the current one, so that each part's peak is its own.
    private static void ResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Elsewhere the peak is the process's: growth figures are then upper bounds.
        }
    }
}
