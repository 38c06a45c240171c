using System.Text.Json;
using SignTranslate.Cli;
using SignTranslate.Cli.Commands;
using SignTranslate.Data.Pose;
using SignTranslate.Tests.Training;

namespace SignTranslate.Tests.Cli;

/// <summary>
/// The tiny synthetic experiment written to disk by <c>slt synth</c> (frames, labels and keypoint files), pretrained
/// on keypoints in memory, then finetuned for one epoch each: on keypoints read from the files (<c>model.input:
/// pose</c>, from the pretraining), on RGB + keypoints in memory, and on RGB.
/// </summary>
public sealed class TinyPoseRuns : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("slt-pose-cli-");

    public TinyPoseRuns()
    {
        ConfigPath = TinyExperiment.Write(_dir.FullName);
        Data = Path.Combine(_dir.FullName, "data");
        Run("synth", "--config", ConfigPath, "--out", Data, "-q");
        Pretrain = Train("pretrain", "pose-pretrain", "--set", "model.input=pose");
        Pose = Train("finetune", "pose-finetune", [.. FromDisk, "--set", "model.input=pose", "--init", Pretrain]);
        RgbPose = Train("finetune", "rgb-pose-finetune", "--set", "model.input=rgb+pose");
        Rgb = Train("finetune", "rgb-finetune");
    }

    /// <summary>Overrides that read the dataset <c>slt synth</c> wrote instead of rendering it in memory.</summary>
    public static readonly string[] FromDisk = ["--set", "data.kind=labels", "--set", "data.root=data", "--set", "data.image_root=frames"];

    private static void Run(params string[] args)
    {
        var result = CliRunner.Run(args);
        if (result.ExitCode != ExitCodes.Success) throw new InvalidOperationException(result.Stderr);
    }

    private string Train(string stage, string name, params string[] extra)
    {
        var run = Path.Combine(_dir.FullName, name);
        Run([stage, "--config", ConfigPath, "--run-dir", run, "--set", "training.epochs=1", "-q", .. extra]);
        return Path.Combine(run, "checkpoints", "best");
    }

    public string Folder => _dir.FullName;
    public string ConfigPath { get; }
    public string Data { get; }
    public string Pretrain { get; }
    public string Pose { get; }
    public string RgbPose { get; }
    public string Rgb { get; }

    /// <summary>The keypoint file of test video <paramref name="index"/>, as <c>slt synth</c> wrote it.</summary>
    public string KeypointFile(int index) => Path.Combine(Data, "keypoints", "test", $"synthetic-{index:D5}.safetensors");

    /// <summary>The frame folder of test video <paramref name="index"/>.</summary>
    public string FrameFolder(int index) => Path.Combine(Data, "frames", "test", $"synthetic-{index:D5}");

    public void Dispose() => _dir.Delete(recursive: true);
}

[Collection(ProcessStateCollection.Name)]
public sealed class PoseCommandsTests(TinyPoseRuns runs) : IClassFixture<TinyPoseRuns>
{
    [Fact]
    public void TranslatePrintsOneSentencePerKeypointFile()
    {
        string[] files = [runs.KeypointFile(0), runs.KeypointFile(1)];
        var result = CliRunner.Run(["translate", "--checkpoint", runs.Pose, "--json", .. files]);
        Assert.True(result.ExitCode == ExitCodes.Success, result.Stderr);
        var translations = JsonDocument.Parse(result.Stdout).RootElement.GetProperty("translations").EnumerateArray().ToList();
        Assert.Equal(files, translations.Select(t => t.GetProperty("id").GetString()));
        Assert.All(translations, t => Assert.True(t.GetProperty("frames").GetInt32() > 0));
        Assert.All(translations, t => Assert.False(string.IsNullOrWhiteSpace(t.GetProperty("text").GetString())));
    }

    [Fact]
    public void TranslateReadsAVideoAndItsKeypointsForAnRgbPoseCheckpoint()
    {
        var result = CliRunner.Run("translate", "--checkpoint", runs.RgbPose, runs.FrameFolder(0), "--keypoints", runs.KeypointFile(0),
            runs.FrameFolder(1), "--keypoints", runs.KeypointFile(1));
        Assert.True(result.ExitCode == ExitCodes.Success, result.Stderr);
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal([runs.FrameFolder(0), runs.FrameFolder(1)], lines.Select(l => l.Split('\t')[0]));

        Assert.Contains("2 video(s), 1 keypoint file(s)", OneLineErrors.Single(
            CliRunner.Run("translate", "--checkpoint", runs.RgbPose, runs.FrameFolder(0), runs.FrameFolder(1), "--keypoints", runs.KeypointFile(0))));
    }

    [Fact]
    public void DataCheckKnowsTheModelReadsKeypoints()
    {
        var result = CliRunner.Run(["data", "check", "--config", runs.ConfigPath, .. TinyPoseRuns.FromDisk, "--set", "model.input=pose"]);
        // The tiny vocabulary leaves a problem of its own (unknown test words); the keypoints have none.
        Assert.Contains("frames: every frame checked", result.Stdout);
        Assert.DoesNotContain("keypoint", result.Stdout + result.Stderr);
        // Without the keypoints field in its labels, the same dataset is not fit for a pose model.
        var labels = Path.Combine(runs.Folder, "no-keypoints");
        Directory.CreateDirectory(labels);
        foreach (var split in new[] { "train", "dev", "test" })
        {
            var samples = SignTranslate.Data.LabelsFileReader.Read(Path.Combine(runs.Data, $"labels.{split}"));
            SignTranslate.Data.Synthetic.LabelsFileWriter.Write(Path.Combine(labels, $"labels.{split}"), samples.Select(s => s with { KeypointFile = null }).ToList());
        }
        result = CliRunner.Run("data", "check", "--config", runs.ConfigPath, "--set", "data.kind=labels", "--set", "data.root=no-keypoints",
            "--set", "data.image_root=../data/frames", "--set", "model.input=pose");
        Assert.Equal(ExitCodes.InputError, result.ExitCode);
        Assert.Equal(16, (result.Stdout + result.Stderr).Split('\n').Count(l => l.Contains("no keypoint file, which model.input pose and rgb+pose need")));
    }

    [Fact]
    public void TrainingStopsInOneLineAtABrokenKeypointFile()
    {
        var copy = Path.Combine(runs.Folder, "broken-data");
        foreach (var file in Directory.EnumerateFiles(runs.Data, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(copy, Path.GetRelativePath(runs.Data, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        var broken = Path.Combine(copy, "keypoints", "train", "synthetic-00003.safetensors");
        var values = new float[4 * KeypointLayout.Joints * 3];
        values[(2 * KeypointLayout.Joints + KeypointLayout.RightWrist) * 3 + 1] = float.NaN;
        SltKeypointFile.Write(broken, new KeypointSequence(4, values));

        var line = OneLineErrors.Single(CliRunner.Run("finetune", "--config", runs.ConfigPath, "--run-dir", Path.Combine(runs.Folder, "broken-run"),
            "--set", "data.kind=labels", "--set", "data.root=broken-data", "--set", "data.image_root=frames", "--set", "model.input=pose", "-q"));
        Assert.Contains(broken, line);
        Assert.Contains("NaN", line);
    }

    [Theory]
    [InlineData("pretrain", "pose")]
    [InlineData("finetune", "pose")]
    [InlineData("finetune", "rgb+pose")]
    public void SignClTrainsOnPoseAndFusedFeatures(string stage, string input)
    {
        var run = Path.Combine(runs.Folder, $"signcl-{stage}-{input.Replace('+', '-')}");
        var result = CliRunner.Run(stage, "--config", runs.ConfigPath, "--run-dir", run, "--set", "training.epochs=1", "--set", $"model.input={input}",
            "--set", "signcl.enabled=true", "--set", "signcl.lambda_pretrain=0.1", "--set", "signcl.lambda_finetune=0.1", "--set", "signcl.start_epoch=0", "-q");
        Assert.True(result.ExitCode == ExitCodes.Success, result.Stderr);
        var epoch = File.ReadLines(Path.Combine(run, "metrics.jsonl")).Select(l => JsonDocument.Parse(l).RootElement)
            .Last(r => r.GetProperty("kind").GetString() == "epoch");
        Assert.True(epoch.GetProperty("train_cl_loss").GetDouble() > 0);
    }

    [Fact]
    public void EvalAndDensityWorkOnAPoseCheckpoint()
    {
        var eval = Path.Combine(runs.Folder, "eval");
        var result = CliRunner.Run("eval", "--checkpoint", runs.Pose, "--split", "test", "--out", eval, "-q");
        Assert.True(result.ExitCode == ExitCodes.Success, result.Stderr);
        Assert.Equal(4, File.ReadAllLines(Path.Combine(eval, "hypotheses.txt")).Length);

        var density = Path.Combine(runs.Folder, "density");
        result = CliRunner.Run("density", "--checkpoint", runs.Pose, "--out", density, "-q");
        Assert.True(result.ExitCode == ExitCodes.Success, result.Stderr);
        var sdr = JsonDocument.Parse(File.ReadAllText(Path.Combine(density, DensityCommand.ReportFile))).RootElement.GetProperty("sdr").GetDouble();
        Assert.InRange(sdr, 1, 200);
    }

    [Fact]
    public void BadKeypointInputsEndInOneLineNamingTheFile()
    {
        var missing = Path.Combine(runs.Folder, "nowhere.pkl");
        Assert.Contains(missing, OneLineErrors.Single(CliRunner.Run("translate", "--checkpoint", runs.Pose, missing)));

        var nan = Path.Combine(runs.Folder, "nan.safetensors");
        var values = new float[3 * KeypointLayout.Joints * 3];
        values[(1 * KeypointLayout.Joints + KeypointLayout.LeftShoulder) * 3] = float.NaN;
        SltKeypointFile.Write(nan, new KeypointSequence(3, values));
        var line = OneLineErrors.Single(CliRunner.Run("translate", "--checkpoint", runs.Pose, nan));
        Assert.Contains(nan, line);
        Assert.Contains("NaN", line);

        Assert.Contains("this checkpoint reads RGB only", OneLineErrors.Single(
            CliRunner.Run("translate", "--checkpoint", runs.Rgb, "--keypoints", runs.KeypointFile(0), runs.FrameFolder(0))));
        Assert.Contains("slt serve shows RGB models", OneLineErrors.Single(CliRunner.Run("serve", "--checkpoint", runs.Pose, "--port", "0")));
        Assert.Contains("reads keypoints only", OneLineErrors.Single(
            CliRunner.Run("translate", "--checkpoint", runs.Pose, "--keypoints", runs.KeypointFile(0), runs.KeypointFile(1))));
    }
}
