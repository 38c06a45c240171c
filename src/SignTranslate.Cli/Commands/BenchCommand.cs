using System.CommandLine;
using System.Text.Json;
using SignTranslate.Benchmarks;
using SignTranslate.Losses;
using TorchSharp;

namespace SignTranslate.Cli.Commands;

/// <summary>
/// <c>slt bench</c>: benchmarks, one subcommand each (<c>signcl</c>, <c>step</c>). Each subcommand prints a table, or
/// with <c>--json</c> one JSON array on stdout.
/// </summary>
public static class BenchCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var bench = new Command("bench", "Time performance-critical parts against their baselines");
        bench.Subcommands.Add(CreateSignCl(stdout, stderr));
        bench.Subcommands.Add(BenchStepCommand.Create(stdout, stderr));
        bench.Subcommands.Add(CreateData(stdout, stderr));
        bench.Subcommands.Add(CreateAllReduce(stdout, stderr));
        return bench;
    }

    /// <summary>
    /// <c>mpirun -np N slt bench allreduce [--parameters P] [--tensors T]</c>: the time of one gradient all-reduce of the
    /// data-parallel step (docs/distributed.md), printed by process 0.
    /// </summary>
    private static Command CreateAllReduce(TextWriter stdout, TextWriter stderr)
    {
        var parameters = new Option<long>("--parameters") { Description = "Gradient size in float32 values (default: the paper-size VLP model's 216,175,169, docs/reference.md)", DefaultValueFactory = _ => 216_175_169 };
        var tensors = new Option<int>("--tensors") { Description = "Tensors the gradient is split into", DefaultValueFactory = _ => 300 };
        var warmup = new Option<int>("--warmup") { Description = "Untimed all-reduces first", DefaultValueFactory = _ => 1 };
        var repeats = new Option<int>("--repeats") { Description = "Timed all-reduces; the median is reported", DefaultValueFactory = _ => 5 };
        var command = new Command("allreduce", "Time the gradient all-reduce of data-parallel training (run under mpirun -np N)")
        {
            parameters, tensors, warmup, repeats,
        };
        command.SetAction((parse, cancel) => CommandRunner.RunAsync(parse, stderr, token =>
        {
            using var group = Distributed.DataParallel.FromLauncher()
                ?? throw new InputException("slt bench allreduce measures a collective: run it under mpirun -np N (N >= 2)");
            var row = AllReduceBenchmark.Run(group, parse.GetValue(parameters), parse.GetValue(tensors), parse.GetValue(warmup), parse.GetValue(repeats));
            if (group.Rank == 0)
                stdout.WriteLine(System.FormattableString.Invariant(
                    $"{row.Processes} processes, {row.Parameters:N0} float32 values in {row.Tensors} tensors: {row.Milliseconds:F1} ms per all-reduce ({row.GigabytesPerSecond:F2} GB/s of gradient)"));
            return Task.FromResult(ExitCodes.Success);
        }, cancel));
        return command;
    }

    /// <summary>
    /// <c>slt bench data --config A [--config B]... [--clips N]</c>: clips/s of each configuration's files and of its
    /// frame cache (when data.cache.folder is set), in one run, with each row's speed relative to the first row.
    /// </summary>
    private static Command CreateData(TextWriter stdout, TextWriter stderr)
    {
        var configs = new Option<FileInfo[]>("--config", "-c")
        {
            Description = "Dataset configuration (repeatable): e.g. one naming video files, one naming the same clips as frame folders",
            Required = true,
            AllowMultipleArgumentsPerToken = false,
        };
        var clips = new Option<int>("--clips") { Description = "Training clips read per source", DefaultValueFactory = _ => 100 };
        var command = new Command("data", "Clips per second read from video files, frame files and the frame cache") { configs, clips };
        command.SetAction((parse, cancel) => CommandRunner.RunAsync(parse, stderr, token =>
        {
            if (parse.GetValue(clips) < 1) throw new InputException($"--clips must be at least 1, got {parse.GetValue(clips)}");
            var rows = new List<DataLoadRow>();
            foreach (var file in parse.GetValue(configs) ?? [])
                rows.AddRange(DataLoadBenchmark.Run(Training.ExperimentConfig.Load(file.FullName), file.Name, parse.GetValue(clips), token));
            var baseline = rows[0].ClipsPerSecond;
            stdout.WriteLine($"{"config",-24} {"source",-12} {"clips",6} {"frames",7} {"seconds",8} {"clips/s",9} {"vs first",9}");
            foreach (var r in rows)
                stdout.WriteLine(System.FormattableString.Invariant(
                    $"{r.Config,-24} {r.Source,-12} {r.Clips,6} {r.Frames,7} {r.Seconds,8:F2} {r.ClipsPerSecond,9:F1} {r.ClipsPerSecond / baseline,8:F2}x"));
            return Task.FromResult(ExitCodes.Success);
        }, cancel));
        return command;
    }

    private static Command CreateSignCl(TextWriter stdout, TextWriter stderr)
    {
        var defaults = new SignClBenchmarkSettings();
        var json = new Option<bool>("--json") { Description = "Print one JSON array of {frames, vectorised_ms, loop_ms, ratio, max_abs_diff}" };
        var frames = new Option<int[]>("--frames")
        {
            Description = "Sequence lengths T to time",
            AllowMultipleArgumentsPerToken = true,
            DefaultValueFactory = _ => [.. defaults.Frames],
        };
        var batch = new Option<int>("--batch") { Description = "Batch size B", DefaultValueFactory = _ => defaults.Batch };
        var dim = new Option<int>("--dim") { Description = "Feature width D", DefaultValueFactory = _ => defaults.Dim };
        var warmup = new Option<int>("--warmup") { Description = "Untimed runs before timing", DefaultValueFactory = _ => defaults.Warmup };
        var repeats = new Option<int>("--repeats") { Description = "Timed runs; the median is reported", DefaultValueFactory = _ => defaults.Repeats };
        var margin = new Option<int>("--margin") { Description = "Negative-sampling margin", DefaultValueFactory = _ => defaults.Margin };
        var seed = new Option<int>("--seed") { Description = "Seed of features and draws", DefaultValueFactory = _ => defaults.Seed };
        var threads = new Option<int?>("--threads") { Description = "Intra-op CPU threads (default: TorchSharp's)" };

        var command = new Command("signcl", "Forward+backward of the vectorised SignCL against a per-anchor loop of the same maths")
        {
            json, frames, batch, dim, warmup, repeats, margin, seed, threads,
        };
        command.SetAction((parse, cancel) => CommandRunner.RunAsync(parse, stderr, token =>
        {
            var settings = new SignClBenchmarkSettings
            {
                Frames = parse.GetValue(frames) ?? [],
                Batch = parse.GetValue(batch),
                Dim = parse.GetValue(dim),
                Warmup = parse.GetValue(warmup),
                Repeats = parse.GetValue(repeats),
                Margin = parse.GetValue(margin),
                Seed = parse.GetValue(seed),
            };
            if (Validate(settings, parse.GetValue(threads)) is { } problem)
                throw new InputException(problem);
            if (parse.GetValue(threads) is int count)
                torch.set_num_threads(count);

            var rows = SignClBenchmark.Run(settings, token);
            if (parse.GetValue(json))
                stdout.WriteLine(JsonSerializer.Serialize(rows, JsonOptions));
            else
                WriteTable(stdout, settings, rows);
            return Task.FromResult(ExitCodes.Success);
        }, cancel));
        return command;
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private static string? Validate(SignClBenchmarkSettings settings, int? threads)
    {
        if (settings.Frames.Count == 0)
            return "--frames needs at least one value";
        foreach (var tooShort in settings.Frames.Where(t => t < SequenceDraw.MinimumFrames))
            return $"--frames {tooShort}: expected at least {SequenceDraw.MinimumFrames} frames (SignCL gives no loss below that)";
        if (settings.Batch < 1)
            return $"--batch {settings.Batch}: expected a positive integer";
        if (settings.Dim < 1)
            return $"--dim {settings.Dim}: expected a positive integer";
        if (settings.Warmup < 0)
            return $"--warmup {settings.Warmup}: expected 0 or more";
        if (settings.Repeats < 1)
            return $"--repeats {settings.Repeats}: expected a positive integer";
        if (threads is < 1)
            return $"--threads {threads}: expected a positive integer";
        return null;
    }

    private static void WriteTable(TextWriter stdout, SignClBenchmarkSettings settings, IReadOnlyList<SignClBenchmarkRow> rows)
    {
        stdout.WriteLine($"SignCL forward+backward, B={settings.Batch}, D={settings.Dim}, float32, margin {settings.Margin}, " +
                         $"{torch.get_num_threads()} threads, median of {settings.Repeats} after {settings.Warmup} warm-up");
        stdout.WriteLine($"{"frames",6}  {"vectorised ms",13}  {"loop ms",10}  {"ratio",7}  {"max |diff|",10}");
        foreach (var row in rows)
            stdout.WriteLine($"{row.Frames,6}  {row.VectorisedMs,13:F2}  {row.LoopMs,10:F1}  {row.Ratio,6:F1}x  {row.MaxAbsDiff,10:E1}");
    }
}
