using System.Collections;
using System.IO.Compression;
using Razorvine.Pickle;
using SignTranslate.Data.Synthetic;

namespace SignTranslate.Tests.Data.Synthetic;

public class SyntheticFilesTests
{
    [Fact]
    public void LabelsFileReadsBackWithEveryField()
    {
        using var folder = new TemporaryFolder();
        var dataset = SyntheticDataset.Create(SyntheticDatasetTests.Tiny);
        var samples = dataset.Samples("dev");
        global::SignTranslate.Data.Synthetic.LabelsFileWriter.Write(folder["labels.dev"], samples);

        var labels = ReadLabels(folder["labels.dev"]);
        Assert.Equal(samples.Count, labels.Count);
        Assert.False(File.Exists(folder["labels.dev.partial"]));
        foreach (var sample in samples)
        {
            var entry = (IDictionary)labels[sample.Id]!;
            Assert.Equal(["gloss", "gloss_spans", "imgs_path", "length", "name", "text"], entry.Keys.Cast<string>().Order());
            Assert.Equal(sample.Id, entry["name"]);
            Assert.Equal(sample.Gloss, entry["gloss"]);
            Assert.Equal(sample.Text, entry["text"]);
            Assert.Equal(sample.FrameCount, entry["length"]);
            Assert.Equal(sample.FramePaths, ((ArrayList)entry["imgs_path"]!).Cast<string>());
            var spans = ((ArrayList)entry["gloss_spans"]!).Cast<ArrayList>()
                .Select(s => new SignTranslate.Data.GlossSpan((string)s[0]!, (int)s[1]!, (int)s[2]!));
            Assert.Equal(sample.GlossSpans!, spans);
        }
    }

    [Fact]
    public void SameSeedWritesByteIdenticalDatasets()
    {
        using var folder = new TemporaryFolder();
        var options = SyntheticDatasetTests.Tiny with { TrainSamples = 4, DevSamples = 2, TestSamples = 2 };
        SyntheticDatasetWriter.Write(SyntheticDataset.Create(options), folder["a"]);
        SyntheticDatasetWriter.Write(SyntheticDataset.Create(options), folder["b"]);
        SyntheticDatasetWriter.Write(SyntheticDataset.Create(options with { Seed = 99 }), folder["c"]);

        var files = RelativeFiles(folder["a"]);
        Assert.Equal(files, RelativeFiles(folder["b"]));
        Assert.Contains("labels.train", files);
        Assert.Contains("synthetic.json", files);
        Assert.Contains(Path.Combine("frames", "train", "synthetic-00000", "images0001.png"), files);
        Assert.All(files, f => Assert.Equal(File.ReadAllBytes(Path.Combine(folder["a"], f)), File.ReadAllBytes(Path.Combine(folder["b"], f))));
        Assert.NotEqual(File.ReadAllBytes(folder["a/labels.train"]), File.ReadAllBytes(folder["c/labels.train"]));
        Assert.Equal(["a", "b", "c"], Directory.GetFileSystemEntries(folder.Path).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void EveryLabelledFrameExistsAndDecodesToTheRenderedPixels()
    {
        using var folder = new TemporaryFolder();
        var options = SyntheticDatasetTests.Tiny with { TrainSamples = 2, DevSamples = 1, TestSamples = 1 };
        var dataset = SyntheticDataset.Create(options);
        SyntheticDatasetWriter.Write(dataset, folder.Path);

        var labels = ReadLabels(folder["labels.test"]);
        var entry = (IDictionary)labels["test/synthetic-00000"]!;
        var paths = ((ArrayList)entry["imgs_path"]!).Cast<string>().ToList();
        Assert.Equal(paths.Count, RelativeFiles(folder["frames/test"]).Count);
        var rendered = dataset.RenderFrames("test", 0);
        var frameBytes = 3 * options.FrameWidth * options.FrameHeight;

        TorchSharp.torchvision.io.DefaultImager = new TorchSharp.torchvision.io.SkiaImager(95);
        using var scope = TorchSharp.torch.NewDisposeScope();
        foreach (var frame in new[] { 0, paths.Count / 2, paths.Count - 1 })
        {
            var image = TorchSharp.torchvision.io.read_image(Path.Combine(folder["frames"], paths[frame]), TorchSharp.torchvision.io.ImageReadMode.RGB);
            Assert.Equal(rendered.AsSpan(frame * frameBytes, frameBytes).ToArray(), image.contiguous().data<byte>().ToArray());
        }
    }

    [Fact]
    public void RefusesToOverwriteUnlessForcedAndNeverTouchesOtherFolders()
    {
        using var folder = new TemporaryFolder();
        var options = SyntheticDatasetTests.Tiny with { TrainSamples = 1, DevSamples = 1, TestSamples = 1 };
        SyntheticDatasetWriter.Write(SyntheticDataset.Create(options), folder["data"]);
        Assert.Throws<InputException>(() => SyntheticDatasetWriter.Write(SyntheticDataset.Create(options), folder["data"]));
        SyntheticDatasetWriter.Write(SyntheticDataset.Create(options with { TrainSamples = 2 }), folder["data"], replace: true);
        Assert.Equal(2, ReadLabels(folder["data/labels.train"]).Count);

        Directory.CreateDirectory(folder["mine"]);
        File.WriteAllText(folder["mine/notes.txt"], "keep");
        var error = Assert.Throws<InputException>(() => SyntheticDatasetWriter.Write(SyntheticDataset.Create(options), folder["mine"], replace: true));
        Assert.Contains("not empty", error.Message);
        Assert.Equal("keep", File.ReadAllText(folder["mine/notes.txt"]));
        Assert.DoesNotContain(Directory.GetDirectories(folder.Path), d => d.Contains(".partial"));
    }

    internal static Hashtable ReadLabels(string path)
    {
        using var stream = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        return (Hashtable)new Unpickler().load(stream);
    }

    private static List<string> RelativeFiles(string root) =>
        Directory.GetFiles(root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f)).Order(StringComparer.Ordinal).ToList();
}
