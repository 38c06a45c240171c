using System.Text.Json;
using System.Text.Json.Nodes;
using SignTranslate.Checkpoints;

namespace SignTranslate.Training;

/// <summary>
/// The scalars of a run: one record per logged step and per epoch in <c>metrics.jsonl</c>, the same values as
/// TensorBoard events. The TensorBoard file is derived from metrics.jsonl, so that a resumed run continues both as if
/// it had never stopped: records that a crash or an interruption left beyond the checkpoint are dropped, and the
/// events are written again from what is kept, into one file.
/// </summary>
public sealed class MetricsLog
{
    private readonly RunFolder _run;
    private readonly TorchSharp.Modules.SummaryWriter _tensorBoard;

    private MetricsLog(RunFolder run, TorchSharp.Modules.SummaryWriter tensorBoard)
    {
        _run = run;
        _tensorBoard = tensorBoard;
    }

    /// <summary>
    /// Opens the run's metrics at a checkpoint's position: step records up to <paramref name="globalStep"/> and epoch
    /// records up to epoch <paramref name="epochsCompleted"/> are kept, the rest dropped (everything for a fresh start).
    /// </summary>
    public static MetricsLog Open(RunFolder run, int epochsCompleted, long globalStep)
    {
        var lines = File.Exists(run.MetricsPath) ? File.ReadAllLines(run.MetricsPath) : [];
        var kept = new List<(string Line, Record Record)>();
        foreach (var line in lines)
        {
            // A line cut short by a crash does not parse and goes with the rest of what is dropped.
            if (Parse(line) is not { } record) continue;
            var beyond = record.Kind == "epoch" ? record.Epoch > epochsCompleted : record.Step > globalStep;
            if (!beyond) kept.Add((line, record));
        }
        var operations = new FileOperations();
        if (kept.Count != lines.Length)
            operations.WriteAtomically(run.MetricsPath, string.Concat(kept.Select(k => k.Line + "\n")));
        operations.Delete(run.TensorBoardPath);
        var tensorBoard = TorchSharp.torch.utils.tensorboard.SummaryWriter(run.TensorBoardPath);
        foreach (var (_, record) in kept)
            foreach (var (key, value) in record.Values)
                tensorBoard.add_scalar(key, (float)value, (int)record.Step);
        return new MetricsLog(run, tensorBoard);
    }

    /// <summary>Appends one record (<c>kind</c> "step" or "epoch"); values that are not finite are left out.</summary>
    public void Append(string kind, int epoch, long globalStep, IEnumerable<KeyValuePair<string, double>> metrics)
    {
        var record = new Dictionary<string, object> { ["kind"] = kind, ["epoch"] = epoch + 1, ["step"] = globalStep };
        foreach (var (key, value) in metrics)
        {
            if (!double.IsFinite(value)) continue;
            record[key] = value;
            _tensorBoard.add_scalar(key, (float)value, (int)globalStep);
        }
        _run.AppendMetrics(record);
    }

    private sealed record Record(string Kind, long Epoch, long Step, IReadOnlyList<KeyValuePair<string, double>> Values);

    private static Record? Parse(string line)
    {
        try
        {
            if (JsonNode.Parse(line) is not JsonObject json || json["kind"] is not { } kind || json["step"] is not { } step) return null;
            var values = json.Where(kv => kv.Key is not ("kind" or "epoch" or "step") && kv.Value?.GetValueKind() == JsonValueKind.Number)
                .Select(kv => KeyValuePair.Create(kv.Key, kv.Value!.GetValue<double>())).ToList();
            return new Record(kind.GetValue<string>(), json["epoch"]?.GetValue<long>() ?? 0, step.GetValue<long>(), values);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }
}
