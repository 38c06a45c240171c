#:project ../src/SignTranslate/SignTranslate.csproj
// Prefetcher benchmark (a script, not a test): how long a training loop waits for its batches, without and with
// background preparation. Usage:
//   dotnet run scripts/bench-prefetch.cs [-- [CONFIG.yaml] [--steps N] [--workers N]]
// CONFIG: an experiment configuration; its data.frames/augmentation/prefetch settings are used, and its synthetic
// section when data.kind is synthetic (videos rendered in memory) — otherwise the configured dataset's train split
// is read from disk. Without a config: the default synthetic dataset in memory with 32×32 frames cropped to 28×28.
// The "training step" is a small CNN forward/backward/AdamW step on the batch's frames, standing in for the real
// model until the trainer exists; what matters is the wait share, which only falls as the step gets heavier.
using System.Diagnostics;
using SignTranslate.Data;
using SignTranslate.Data.Synthetic;
using SignTranslate.Text;
using SignTranslate.Training;
using TorchSharp;
using static TorchSharp.torch;

string? configPath = null;
var steps = 20;
int? workersOverride = null;
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--steps") steps = int.Parse(args[++i]);
    else if (args[i] == "--workers") workersOverride = int.Parse(args[++i]);
    else configPath = args[i];
}
var config = configPath is null
    ? ExperimentConfig.Defaults() with
    {
        Data = new DataOptions
        {
            Kind = DatasetKind.Synthetic,
            Frames = new FrameOptions { ResizeHeight = 32, ResizeWidth = 32, CropHeight = 28, CropWidth = 28 },
            Tokenizer = new TokenizerOptions { Kind = TokenizerKind.Words },
        },
    }
    : ExperimentConfig.Load(configPath);
var data = config.Data;

IReadOnlyList<SignSample> samples;
IVideoSource videos;
if (data.Kind == DatasetKind.Synthetic)
{
    var dataset = SyntheticDataset.Create(config.Synthetic);
    samples = dataset.Samples("train");
    videos = new SyntheticVideoSource(dataset, data.Frames, data.Augmentation);
}
else
{
    samples = DatasetReader.Read(data, config.BaseDirectory, Split.Train);
    videos = new DiskVideoSource(new VideoLoader(DataPaths.ImageRoot(data, config.BaseDirectory), data.Frames, data.Augmentation));
}
var tokenizer = TokenizerFactory.Create(data.Tokenizer, config.BaseDirectory, () => samples.Select(s => s.Text));
var builder = new SignBatchBuilder(samples, videos, tokenizer, data, training: true, withMaskedText: true);
const int batchSize = 4;
var plan = BatchPlan.Batches(samples.Count, batchSize, shuffle: true, seed: 1, epoch: 0, dropLast: true).Take(steps).ToList();
var workers = workersOverride ?? Math.Max(1, data.Prefetch.Workers);
Console.WriteLine($"{data.Kind}: {samples.Count} training videos, frames {data.Frames.CropHeight}x{data.Frames.CropWidth}, " +
                  $"{plan.Count} steps of batch {batchSize}, torch threads {torch.get_num_threads()}");

var model = nn.Sequential(
    nn.Conv2d(3, 32, 3, stride: 2, padding: 1), nn.ReLU(),
    nn.Conv2d(32, 64, 3, stride: 2, padding: 1), nn.ReLU(),
    nn.Conv2d(64, 64, 3, stride: 1, padding: 1), nn.ReLU(),
    nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, 16));
var optimizer = optim.AdamW(model.parameters(), 1e-3);

void Step(SignBatch batch)
{
    using var scope = NewDisposeScope();
    optimizer.zero_grad();
    var loss = model.call(batch.Video.Frames).pow(2).mean();
    loss.backward();
    optimizer.step();
    _ = loss.item<float>();
}

// Warm-up (JIT, allocator) so that neither measured loop pays for it.
using (var warm = builder.Build(plan[0], 12345))
    for (var i = 0; i < 3; i++) Step(warm);

foreach (var threads in new[] { 0, workers })
{
    using var prefetcher = new Prefetcher<SignBatch>(plan.Count,
        (b, _) => builder.Build(plan[b], BatchPlan.Seed(1, 0, b)), threads, ahead: data.Prefetch.BatchesAhead);
    var clock = Stopwatch.StartNew();
    var compute = TimeSpan.Zero;
    while (prefetcher.Next() is { } batch)
    {
        var started = Stopwatch.GetTimestamp();
        using (batch) Step(batch);
        compute += Stopwatch.GetElapsedTime(started);
    }
    var total = clock.Elapsed;
    Console.WriteLine($"workers {threads}: {1000 * total.TotalSeconds / plan.Count:F0} ms/step, of which waiting for the batch " +
                      $"{1000 * prefetcher.WaitTime.TotalSeconds / plan.Count:F0} ms = {100 * prefetcher.WaitTime / total:F1}% " +
                      $"(compute {1000 * compute.TotalSeconds / plan.Count:F0} ms/step)");
}
