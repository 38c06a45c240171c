using System.Diagnostics;
using System.Globalization;
using Serilog;

namespace SignTranslate.Training;

/// <summary>
/// Progress of a training run: on a terminal, one status line redrawn in place (at most four times a second); otherwise
/// a plain log line whenever the trainer has read the logged values (every <c>log_every_steps</c> steps and at the end
/// of each epoch). Shows the loss of the last step read, the learning rate, clips per second and the ETA.
/// </summary>
public sealed class TrainingProgress(TextWriter? terminal, int epochs, int stepsPerEpoch)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan? _lastDraw;
    private long _stepsTimed;
    private long _clipsTimed;
    private TimeSpan _timed;
    private bool _lineShown;

    /// <summary>Records one finished step of <paramref name="clips"/> videos that took <paramref name="elapsed"/>.</summary>
    /// <param name="loss">The loss of the last step whose logged values the trainer read (a step's own loss stays on
    /// the device until then).</param>
    /// <param name="read">Whether the trainer read the logged values at this step, so that <paramref name="loss"/> is its own.</param>
    public void Step(int epoch, int stepInEpoch, int clips, TimeSpan elapsed, double loss, double lr, bool read)
    {
        _stepsTimed++;
        _clipsTimed += clips;
        _timed += elapsed;
        var remainingSteps = (long)(epochs - epoch - 1) * stepsPerEpoch + (stepsPerEpoch - stepInEpoch - 1);
        var perStep = _timed.TotalSeconds / _stepsTimed;
        var line = string.Create(CultureInfo.InvariantCulture,
            $"epoch {epoch + 1}/{epochs} step {stepInEpoch + 1}/{stepsPerEpoch} loss {loss:0.0000} lr {lr:0.00e+00} " +
            $"{_clipsTimed / _timed.TotalSeconds:0.0} clips/s ETA {Format(TimeSpan.FromSeconds(perStep * remainingSteps))} (training steps only)");
        if (terminal is not null)
        {
            var now = _clock.Elapsed;
            if (now - _lastDraw < TimeSpan.FromMilliseconds(250) && stepInEpoch + 1 < stepsPerEpoch) return;
            _lastDraw = now;
            terminal.Write("\r" + line + "\u001b[K");
            terminal.Flush();
            _lineShown = true;
        }
        else if (read)
        {
            Log.Information("{Progress}", line);
        }
    }

    /// <summary>Removes the status line so that a log line can follow.</summary>
    public void Clear()
    {
        if (terminal is null || !_lineShown) return;
        terminal.Write("\r\u001b[K");
        terminal.Flush();
        _lineShown = false;
    }

    public static string Format(TimeSpan span) => span.TotalHours >= 1
        ? $"{(int)span.TotalHours}h{span.Minutes:00}m"
        : span.TotalMinutes >= 1 ? $"{(int)span.TotalMinutes}m{span.Seconds:00}s" : $"{span.TotalSeconds:0}s";

    /// <summary>
    /// How long the epoch's steps waited for their batches (decoding, augmentation): a timing, so it goes to the log,
    /// not to metrics.jsonl, which a resumed run reproduces line for line.
    /// </summary>
    public static void LogDataWait(int epoch, TimeSpan waited, TimeSpan total)
    {
        var share = total > TimeSpan.Zero ? waited / total : 0;
        Log.Information("epoch {Epoch}: waited {Waited:F1} s of {Total:F1} s for batches (data wait {Share:P0}){Advice:l}", epoch + 1,
            waited.TotalSeconds, total.TotalSeconds, share,
            share > 0.1 ? "; more data.prefetch.workers or a frame cache (slt data prepare) would shorten it" : "");
    }
}
