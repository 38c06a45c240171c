using System.Text.Json;
using SignTranslate.Cli;
using SignTranslate.Data.Manifests;
using SignTranslate.Tests.Data.Video;

namespace SignTranslate.Tests.Cli;

/// <summary>The video path through the CLI: data check on manifests, translate on video files, synth --format mp4.</summary>
[Collection(ProcessStateCollection.Name)]
public sealed class VideoCommandsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("slt-videocli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>A manifest dataset under <c>corpus/</c>: train/dev/test TSVs whose rows come from <paramref name="rows"/>.</summary>
    private string WriteCorpus(Func<string, IEnumerable<string>>? rows = null)
    {
        var corpus = Directory.CreateDirectory(Path.Combine(_folder, "corpus")).FullName;
        TestVideos.Write(Path.Combine(corpus, "clips", "long.mp4"), frames: 50);
        rows ??= split => [$"{split}1\tclips/long.mp4\t\t\tthe weather is fine", $"{split}2\tclips/long.mp4\t0.2\t1.4\tthe wind is strong"];
        foreach (var split in new[] { "train", "dev", "test" })
            File.WriteAllLines(Path.Combine(corpus, $"{split}.tsv"), ["id\tvideo\tstart\tend\ttext", .. rows(split)]);
        var config = Path.Combine(_folder, "corpus.yaml");
        File.WriteAllText(config, """
            data:
              kind: manifest
              root: corpus
              files: {train: train.tsv, dev: dev.tsv, test: test.tsv}
              frames: {resize_height: 24, resize_width: 32, crop_height: 20, crop_width: 28}
              collation: {padding: none}
              tokenizer: {kind: words}
            """);
        return config;
    }

    [Fact]
    public void ACleanManifestPassesWithItsDecodedFrameCounts()
    {
        var result = CliRunner.Run("data", "check", "--config", WriteCorpus());

        Assert.Equal("", result.Stderr);
        Assert.Equal(ExitCodes.Success, result.ExitCode);
        // Every stored frame of the 50-frame video, and 1.2 s of it (30 frames at 25 fps).
        Assert.Contains("train         2  30 / 40.0 / 40 / 50", result.Stdout);
        Assert.Contains("no problems found", result.Stdout);
        Assert.Contains($"dataset: manifest, manifests under {Path.Combine(_folder, "corpus")} (videos and frames relative to them)", result.Stdout);
    }

    [Fact]
    public void LabelsOnlyLeavesVideoFramesUncounted()
    {
        var result = CliRunner.Run("data", "check", "--config", WriteCorpus(), "--labels-only");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Contains("train         2  not counted (video files)", result.Stdout);
    }

    [Fact]
    public void EveryVideoProblemIsListedWithItsManifestLine()
    {
        var corpus = Path.Combine(_folder, "corpus");
        var config = WriteCorpus(split => split != "train" ? [$"{split}1\tclips/long.mp4\t\t\tfine"] :
        [
            "ok\tclips/long.mp4\t\t\tfine",
            "gone\tclips/missing.mp4\t\t\tfine",
            "cut\tclips/cut.mp4\t\t\tfine",
            "tone\tclips/tone.mp4\t\t\tfine",
            "late\tclips/long.mp4\t5\t6\tfine",
            "over\tclips/long.mp4\t1\t9\tfine",
            "short\tclips/long.mp4\t0\t0.4\tfine",
            "mute\tclips/long.mp4\t\t\t",
            "ok\tclips/long.mp4\t\t\tagain",
        ]);
        TestVideos.WriteTruncated(Path.Combine(corpus, "clips", "long.mp4"), Path.Combine(corpus, "clips", "cut.mp4"));
        TestVideos.WriteAudioOnly(Path.Combine(corpus, "clips", "tone.mp4"));
        var train = Path.Combine(corpus, "train.tsv");
        var clips = Path.Combine(corpus, "clips");

        var result = CliRunner.Run("data", "check", "--config", config);

        Assert.Equal(ExitCodes.InputError, result.ExitCode);
        Assert.Equal(string.Join('\n',
        [
            $"slt: problem: {train}:9: train: sample 'mute': empty text",
            $"slt: problem: {train}:10: train: sample 'ok': duplicate sample id",
            $"slt: problem: {train}:3: train: sample 'gone': video {clips}/missing.mp4: video file not found",
            $"slt: problem: {train}:4: train: sample 'cut': video {clips}/cut.mp4: not a readable video (truncated or corrupt?): moov atom not found; Invalid data found when processing input",
            $"slt: problem: {train}:5: train: sample 'tone': video {clips}/tone.mp4: has no video stream (only audio)",
            $"slt: problem: {train}:6: train: sample 'late': video {clips}/long.mp4: start 5 s is at or after the video's end (2 s)",
            $"slt: problem: {train}:7: train: sample 'over': video {clips}/long.mp4: end 9 s is after the video's end (2 s)",
            $"slt: problem: {train}:8: train: sample 'short': video {clips}/long.mp4: clip [0, 0.4] s has 10 frames, fewer than the model's minimum of 16",
            "slt: error: 8 problems found",
        ]), result.Stderr.TrimEnd('\n'));
    }

    [Fact]
    public async Task TranslateTakesVideoFilesAndFoldersOfThemAndReportsJson()
    {
        var checkpoint = UntrainedCheckpoint.Write(_folder);
        var videos = Path.Combine(_folder, "videos");
        var a = TestVideos.Write(Path.Combine(videos, "a.mp4"), frames: 30);
        var b = TestVideos.Write(Path.Combine(videos, "b.webm.mp4"), frames: 20);
        File.WriteAllText(Path.Combine(videos, "notes.txt"), "not a video");

        var plain = await CliRunner.RunAsync("translate", "--checkpoint", checkpoint, videos, "-q");
        var json = await CliRunner.RunAsync("translate", "--checkpoint", checkpoint, a, "--json", "-q");

        Assert.Equal(ExitCodes.Success, plain.ExitCode);
        Assert.Equal([a, b], plain.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split('\t')[0]));
        Assert.Equal(ExitCodes.Success, json.ExitCode);
        using var report = JsonDocument.Parse(json.Stdout);
        var only = Assert.Single(report.RootElement.GetProperty("translations").EnumerateArray());
        Assert.Equal(a, only.GetProperty("id").GetString());
        Assert.Equal(30, only.GetProperty("frames").GetInt32());
        Assert.True(only.GetProperty("decode_seconds").GetDouble() > 0);
        Assert.True(only.GetProperty("translate_seconds").GetDouble() > 0);
        Assert.True(report.RootElement.GetProperty("model_load_seconds").GetDouble() > 0);
    }

    [Fact]
    public async Task TranslateNamesABrokenVideoInOneLine()
    {
        var checkpoint = UntrainedCheckpoint.Write(_folder);
        var good = TestVideos.Write(Path.Combine(_folder, "good.mp4"));
        var cut = TestVideos.WriteTruncated(good, Path.Combine(_folder, "cut.mp4"));
        var tone = TestVideos.WriteAudioOnly(Path.Combine(_folder, "tone.m4a"));

        var truncated = OneLineErrors.Single(await CliRunner.RunAsync("translate", "--checkpoint", checkpoint, cut, "-q"));
        var audio = OneLineErrors.Single(await CliRunner.RunAsync("translate", "--checkpoint", checkpoint, tone, "-q"));

        Assert.Equal($"{cut}: not a readable video (truncated or corrupt?): moov atom not found; Invalid data found when processing input", truncated);
        Assert.Equal($"{tone}: has no video stream (only audio)", audio);
    }

    [Fact]
    public void SynthWritesMp4VideosAndManifestsThatReadBackAsTheRenderedFrames()
    {
        string[] args = ["synth", "--format", "mp4", "--train", "3", "--dev", "2", "--test", "2", "-q"];
        var first = CliRunner.Run([.. args, "--out", Path.Combine(_folder, "a")]);
        var second = CliRunner.Run([.. args, "--out", Path.Combine(_folder, "b")]);

        Assert.Equal(ExitCodes.Success, first.ExitCode);
        Assert.Equal(ExitCodes.Success, second.ExitCode);
        var samples = ManifestReader.Read(Path.Combine(_folder, "a", "train.tsv"));
        Assert.Equal(3, samples.Count);
        foreach (var sample in samples)
        {
            Assert.True(File.Exists(sample.VideoFile), sample.VideoFile);
            Assert.Equal(File.ReadAllBytes(sample.VideoFile!), File.ReadAllBytes(sample.VideoFile!.Replace($"{Path.DirectorySeparatorChar}a{Path.DirectorySeparatorChar}", $"{Path.DirectorySeparatorChar}b{Path.DirectorySeparatorChar}")));
            Assert.NotNull(sample.GlossSpans);
        }
        Assert.Contains("train: 3 videos", first.Stdout);
        Assert.Contains("-> train.tsv", first.Stdout);
    }
}
