#:project ../src/SignTranslate/SignTranslate.csproj
// Prefetcher benchmark (a script, not a test): how long a training loop waits for batches, with and without
// background preparation. Usage:
//   dotnet run scripts/bench-prefetch.cs [-- DATASET_DIR [STEPS]]
// DATASET_DIR: a labels dataset (labels.train + frames, e.g. written by `slt synth --out DIR`); without it a small
// dataset of random 64×64 PNG videos is written to a temporary folder. The "training step" is a small CNN
// forward/backward/AdamW step on the batch's frames, standing in for the real model until the trainer exists.
using System.Diagnostics;
using SignTranslate.Data;
using SignTranslate.Text;
using TorchSharp;
using static TorchSharp.torch;

var datasetDir = args.Length > 0 ? Path.GetFullPath(args[0]) : WriteRandomDataset();
var steps = args.Length > 1 ? int.Parse(args[1]) : 12;
var options = new DataOptions
{
    Root = datasetDir,
    Frames = new FrameOptions { ResizeHeight = 64, ResizeWidth = 64, CropHeight = 56, CropWidth = 56, MaxFrames = 64 },
    Tokenizer = new TokenizerOptions { Kind = TokenizerKind.Words },
};
var samples = DatasetReader.Read(options, datasetDir, Split.Train);
var tokenizer = TokenizerFactory.Create(options.Tokenizer, datasetDir, () => samples.Select(s => s.Text));
var builder = new SignBatchBuilder(samples, new DiskVideoSource(new VideoLoader(DataPaths.ImageRoot(options, datasetDir), options.Frames, options.Augmentation)),
    tokenizer, options, training: true, withMaskedText: true);
var plan = BatchPlan.Batches(samples.Count, 4, shuffle: true, seed: 1, epoch: 0, dropLast: true).Take(steps).ToList();
Console.WriteLine($"dataset {datasetDir}: {samples.Count} training videos, {plan.Count} steps of batch 4, torch threads {torch.get_num_threads()}");

var model = nn.Sequential(
    nn.Conv2d(3, 32, 3, stride: 2, padding: 1), nn.ReLU(),
    nn.Conv2d(32, 64, 3, stride: 2, padding: 1), nn.ReLU(),
    nn.Conv2d(64, 64, 3, stride: 1, padding: 1), nn.ReLU(),
    nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, 16));
var optimizer = optim.AdamW(model.parameters(), 1e-3);

foreach (var workers in new[] { 0, 2 })
{
    using var prefetcher = new Prefetcher<SignBatch>(plan.Count,
        (b, _) => builder.Build(plan[b], BatchPlan.Seed(1, 0, b)), workers, ahead: 4);
    var clock = Stopwatch.StartNew();
    var stepTime = TimeSpan.Zero;
    while (prefetcher.Next() is { } batch)
    {
        var started = Stopwatch.GetTimestamp();
        using (batch)
        using (var scope = NewDisposeScope())
        {
            optimizer.zero_grad();
            var loss = model.call(batch.Video.Frames).pow(2).mean();
            loss.backward();
            optimizer.step();
            _ = loss.item<float>();
        }
        stepTime += Stopwatch.GetElapsedTime(started);
    }
    var total = clock.Elapsed;
    Console.WriteLine($"workers {workers}: total {total.TotalSeconds:F2} s, compute {stepTime.TotalSeconds:F2} s, " +
                      $"waiting for batches {prefetcher.WaitTime.TotalSeconds:F2} s = {100 * prefetcher.WaitTime / total:F1}% of the loop " +
                      $"({1000 * prefetcher.WaitTime.TotalSeconds / plan.Count:F0} ms/step wait, {1000 * total.TotalSeconds / plan.Count:F0} ms/step)");
}
if (args.Length == 0) Directory.Delete(datasetDir, recursive: true);

static string WriteRandomDataset()
{
    var root = Directory.CreateTempSubdirectory("slt-bench-prefetch-").FullName;
    var imager = new torchvision.io.SkiaImager();
    var rng = new Random(0);
    var videos = new List<System.Collections.Hashtable>();
    for (var v = 0; v < 48; v++)
    {
        var name = $"train/video{v:D3}";
        var frames = rng.Next(24, 64);
        var paths = new System.Collections.ArrayList();
        Directory.CreateDirectory(Path.Combine(root, name));
        for (var k = 0; k < frames; k++)
        {
            using var image = randint(0, 255, [3, 64, 64], dtype: ScalarType.Byte);
            var path = $"{name}/images{k + 1:D4}.png";
            File.WriteAllBytes(Path.Combine(root, path), imager.EncodeImage(image, torchvision.ImageFormat.Png));
            paths.Add(path);
        }
        videos.Add(new() { ["name"] = name, ["gloss"] = "A B", ["text"] = $"satz nummer {v % 10}", ["length"] = frames, ["imgs_path"] = paths });
    }
    var dict = videos.ToDictionary(v => (object)(string)v["name"]!, v => (object)v);
    using var pickler = new Razorvine.Pickle.Pickler();
    File.WriteAllBytes(Path.Combine(root, "labels.train"), pickler.dumps(dict));
    return root;
}
