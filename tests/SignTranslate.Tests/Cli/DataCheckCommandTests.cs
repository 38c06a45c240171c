using SignTranslate.Cli;
using SignTranslate.Config;
using SignTranslate.Data;
using SignTranslate.Tests.Data;
using SignTranslate.Text;
using SignTranslate.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SignTranslate.Tests.Cli;

[Collection(ProcessStateCollection.Name)]
public sealed class DataCheckCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("slt-datacheck-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>A tiny labels dataset in <c>dataset/</c> with 8×8 PNG frames under <c>dataset/frames/</c>, and a config beside it.</summary>
    private string WriteDataset(Action<string, Dictionary<string, System.Collections.Hashtable>>? breakIt = null)
    {
        var root = Path.Combine(_folder, "dataset");
        var imager = new torchvision.io.SkiaImager();
        foreach (var split in new[] { "train", "dev", "test" })
        {
            var samples = new Dictionary<string, System.Collections.Hashtable>();
            for (var v = 0; v < 3; v++)
            {
                var name = $"{split}/video{v}";
                samples[name] = TestLabelsFiles.Sample(name, $"heute regen {v} und wind", 4);
                Directory.CreateDirectory(Path.Combine(root, "frames", name));
                for (var k = 1; k <= 4; k++)
                {
                    using var image = full(new long[] { 3, 8, 8 }, 10 * k, dtype: ScalarType.Byte);
                    File.WriteAllBytes(Path.Combine(root, "frames", name, $"images{k:D4}.png"), imager.EncodeImage(image, torchvision.ImageFormat.Png));
                }
            }
            breakIt?.Invoke(split, samples);
            TestLabelsFiles.Write(Path.Combine(root, $"labels.{split}"), [.. samples.Values]);
        }
        var config = Path.Combine(_folder, "experiment.yaml");
        File.WriteAllText(config, "data:\n  root: dataset\n  image_root: frames\n  tokenizer:\n    kind: words\n");
        return config;
    }

    [Fact]
    public void CleanDatasetPassesWithSummary()
    {
        var config = WriteDataset();
        var result = CliRunner.Run("data", "check", "--config", config);
        Assert.Equal("", result.Stderr);
        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Contains("train         3  4 / 4.0 / 4 / 4", result.Stdout);
        Assert.Contains("tokenizer: words, vocabulary 13", result.Stdout); // 7 words (heute regen 0 1 2 und wind) + 4 specials + language + mask
        Assert.Contains("frames: every frame checked", result.Stdout);
        Assert.Contains("no problems found", result.Stdout);
    }

    [Fact]
    public void ReportsMissingFrameCorruptPngAndEmptyTextWithSampleIds()
    {
        var config = WriteDataset((split, samples) =>
        {
            if (split == "dev") samples["dev/video2"]["text"] = "  ";
        });
        var frames = Path.Combine(_folder, "dataset", "frames");
        File.Delete(Path.Combine(frames, "train", "video1", "images0003.png"));
        File.WriteAllBytes(Path.Combine(frames, "test", "video0", "images0002.png"), [0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);

        var result = CliRunner.Run("data", "check", "--config", config);

        Assert.Equal(ExitCodes.InputError, result.ExitCode);
        var lines = result.Stderr.Trim().Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.Equal(4, lines.Count);
        Assert.StartsWith($"slt: problem: train: sample 'train/video1': missing frame {Path.Combine(frames, "train/video1/images0003.png")}", lines[0]);
        Assert.Equal("slt: problem: dev: sample 'dev/video2': empty text", lines[1]);
        Assert.Equal($"slt: problem: test: sample 'test/video0': unreadable frame {Path.Combine(frames, "test/video0/images0002.png")}: not a decodable PNG or JPEG image", lines[2]);
        Assert.Equal("slt: error: 3 problems found", lines[3]);
        Assert.DoesNotContain("   at ", result.Stderr);
    }

    [Fact]
    public void ATruncatedFrameIsAProblem()
    {
        var config = WriteDataset();
        var frame = Path.Combine(_folder, "dataset", "frames", "dev", "video1", "images0003.png");
        var bytes = File.ReadAllBytes(frame);
        File.WriteAllBytes(frame, bytes[..(bytes.Length / 2)]);

        var result = CliRunner.Run("data", "check", "--config", config);

        Assert.Equal(ExitCodes.InputError, result.ExitCode);
        Assert.Contains($"slt: problem: dev: sample 'dev/video1': unreadable frame {frame}: truncated", result.Stderr);
        Assert.Contains("1 problem(s) found", result.Stdout);
    }

    [Fact]
    public void LabelsOnlySkipsFramesButFindsLengthMismatch()
    {
        var config = WriteDataset((split, samples) =>
        {
            if (split == "train") samples["train/video0"]["length"] = 5;
        });
        Directory.Delete(Path.Combine(_folder, "dataset", "frames"), recursive: true);

        var result = CliRunner.Run("data", "check", "--config", config, "--labels-only");

        Assert.Equal(ExitCodes.InputError, result.ExitCode);
        Assert.Contains("slt: problem: train: sample 'train/video0': length is 5 but 4 frame paths are listed", result.Stderr);
        Assert.Contains("slt: error: 1 problem found", result.Stderr);
        Assert.Contains("frames: not checked (--labels-only)", result.Stdout);
    }

    [Fact]
    public void MissingAnnotationFileIsAProblemNotACrash()
    {
        var config = WriteDataset();
        var result = CliRunner.Run("data", "check", "--config", config, "--labels-only", "--set", "data.files.test=labels.missing");
        Assert.Equal(ExitCodes.InputError, result.ExitCode);
        Assert.Contains($"slt: problem: test: {Path.Combine(_folder, "dataset", "labels.missing")}: file not found", result.Stderr);
    }

    [Fact]
    public void DataSectionLoadsFromSnakeCaseYamlAndValidates()
    {
        var path = Path.Combine(_folder, "c.yaml");
        File.WriteAllText(path, """
            data:
              kind: phoenix_csv
              root: corpus
              files: { train: PHOENIX-2014-T.train.corpus.csv }
              frames: { max_frames: 64, resize_height: 128, resize_width: 128, crop_height: 112, crop_width: 112, eval_sampling: random }
              augmentation: { rotate_probability: 0 }
              collation: { padding: none }
              tokenizer: { kind: tiktoken, encoding: o200k_base, language: zh_CN }
              masked_text: { noise_type: omit, random_shuffle: true }
              prefetch: { workers: 0 }
            """);
        var data = ExperimentConfig.Load(path).Data;
        Assert.Equal(DatasetKind.PhoenixCsv, data.Kind);
        Assert.Equal(Path.Combine(_folder, "corpus", "PHOENIX-2014-T.train.corpus.csv"), DataPaths.AnnotationFile(data, _folder, Split.Train));
        Assert.Equal((64, 112, TemporalSampling.Random), (data.Frames.MaxFrames, data.Frames.CropWidth, data.Frames.EvalSampling));
        Assert.Equal(PaddingScheme.None, data.Collation.Padding);
        Assert.Equal((TokenizerKind.Tiktoken, "o200k_base", "zh_CN"), (data.Tokenizer.Kind, data.Tokenizer.Encoding, data.Tokenizer.Language));
        Assert.Equal((TextNoiseType.Omit, true, 0), (data.MaskedText.NoiseType, data.MaskedText.RandomShuffle, data.Prefetch.Workers));
        Assert.Equal(0.5, data.Augmentation.TranslateProbability);
        var again = ConfigLoader.Parse<ExperimentConfig>(ConfigWriter.ToYaml(ExperimentConfig.Load(path)), "again.yaml").Data;
        Assert.Equal(data.Frames.Mean, again.Frames.Mean);
        Assert.Equal(data with { Frames = again.Frames }, again);

        File.WriteAllText(path, "data:\n  frames:\n    crop_height: 300\n");
        var error = Assert.Throws<ConfigException>(() => ExperimentConfig.Load(path));
        Assert.Contains("data.frames.crop_height", error.Message);
    }
}
