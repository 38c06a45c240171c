using System.CommandLine;
using System.Globalization;
using Serilog;
using Serilog.Events;
using SignTranslate.Checkpoints;
using SignTranslate.Checkpoints.Pretrained;
using SignTranslate.Distributed;
using SignTranslate.Logging;
using SignTranslate.Models;
using SignTranslate.Text;
using SignTranslate.Training;
using SignTranslate.Training.Tasks;
using TorchSharp;

namespace SignTranslate.Cli.Commands;

/// <summary>
/// <c>slt pretrain</c> and <c>slt finetune</c>: one command shape for both stages, which differ only in the task they
/// hand to the <see cref="Trainer"/>.
/// </summary>
public static class TrainCommand
{
    public static Command CreatePretrain(TextWriter stdout, TextWriter stderr) => Create("pretrain",
        "Visual-language pretraining (GFSLT-VLP: CLIP loss + masked-text decoder, optional SignCL)", stdout, stderr);

    public static Command CreateFinetune(TextWriter stdout, TextWriter stderr) => Create("finetune",
        "Translation finetuning (cross-entropy, optional SignCL), selecting the best checkpoint on dev BLEU-4", stdout, stderr);

    private static Command Create(string stage, string description, TextWriter stdout, TextWriter stderr)
    {
        var config = new ConfigOptions(configRequired: false);
        var resume = new Option<DirectoryInfo?>("--resume") { Description = "Continue an interrupted or finished run from its folder (its checkpoints/last; a run without a checkpoint yet starts over); without --config its config.yaml is used" };
        var runDir = new Option<DirectoryInfo?>("--run-dir") { Description = "Write the run into this folder (default: run.output_dir/STAGE-yyyyMMdd-HHmmss)" };
        var device = SharedOptions.DeviceOfConfig();
        var command = new Command(stage, description) { resume, runDir, device };
        config.AddTo(command);
        Option<string?>? init = null;
        if (stage == "finetune")
        {
            init = new Option<string?>("--init") { Description = "Initialise from a pretraining checkpoint folder (reference key mapping, load report logged)" };
            command.Options.Add(init);
        }
        command.SetAction((parse, cancel) => CommandRunner.RunAsync(parse, stderr, token =>
        {
            var resumeFolder = parse.GetValue(resume)?.FullName;
            if (parse.GetValue(config.Config) is null && resumeFolder is null)
                throw new InputException($"slt {stage} needs --config FILE (or --resume RUN_DIR)");
            var experiment = parse.GetValue(config.Config) is not null
                ? config.Load(parse)
                : ExperimentConfig.Load(Path.Combine(resumeFolder!, "config.yaml"), parse.GetValue(config.Set) ?? []);
            if (parse.GetValue(device) is { } d) experiment = experiment with { Run = experiment.Run with { Device = d } };
            var problems = experiment.Run.Validate().ToList();
            if (problems.Count > 0) throw new InputException($"--device: {problems[0].Message}");
            var initPath = init is null ? null : parse.GetValue(init);
            return Task.FromResult(RunInGroup(stage, experiment.WithAbsolutePaths(), resumeFolder, parse.GetValue(runDir)?.FullName, initPath,
                stdout, stderr, token));
        }, cancel));
        return command;
    }

    /// <summary>
    /// Runs the stage alone, or as one process of a data-parallel run when launched by <c>mpirun -np N</c>
    /// (docs/distributed.md). A process that fails ends the whole job (MPI_Abort), so that no other waits for it forever.
    /// </summary>
    private static int RunInGroup(string stage, ExperimentConfig config, string? resumeFolder, string? runDir, string? init,
        TextWriter stdout, TextWriter stderr, CancellationToken cancel)
    {
        using var group = DataParallel.FromLauncher();
        if (group is null) return Run(stage, config, resumeFolder, runDir, init, stdout, stderr, cancel, null);
        if (group.Rank > 0) SltLogging.RaiseConsoleLevel(LogEventLevel.Warning);
        // One process per device: process i of a machine takes its GPU i.
        if (config.Run.Device == "cuda") config = config with { Run = config.Run with { Device = $"cuda:{DataParallel.LocalRank}" } };
        try
        {
            return Run(stage, config, resumeFolder, runDir, init, stdout, stderr, cancel, group);
        }
        catch (Exception e)
        {
            var code = e is InputException ? ExitCodes.InputError : ExitCodes.Bug;
            if (e is not InputException) Log.Fatal(e, "Internal error");
            stderr.WriteLine($"slt: error in process {group.Rank} of {group.Size}: {e.Message}; ending all {group.Size} processes");
            SltLogging.Close();
            group.Abort(code);
            throw;
        }
    }

    private static int Run(string stage, ExperimentConfig config, string? resumeFolder, string? runDir, string? init,
        TextWriter stdout, TextWriter stderr, CancellationToken cancel, IProcessGroup? group)
    {
        var device = TrainedModels.PrepareDevice(config);
        string? resumeCheckpoint = null;
        RunFolder run;
        RunCheckpoints? checkpoints = null;
        if (group is { Rank: > 0 })
        {
            // Process 0 makes (or opens) the run folder and finds the checkpoint; the others take its word for both.
            var shared = group.Broadcast("").Split('\n');
            run = RunFolder.Attach(shared[0]);
            resumeCheckpoint = shared[1].Length > 0 ? shared[1] : null;
            init = shared[2].Length > 0 ? shared[2] : null;
        }
        else if (resumeFolder is not null)
        {
            run = RunFolder.Resume(resumeFolder, config);
            var start = run.ReadStart();
            if (start is not null && start.Stage != stage)
                throw new InputException($"{run.Path}: a {start.Stage} run; continue it with slt {start.Stage} --resume {run.Path}");
            checkpoints = RunCheckpoints.Open(run.CheckpointsPath, CrashTestHook.FromEnvironment());
            resumeCheckpoint = checkpoints.Last;
            if (resumeCheckpoint is null)
            {
                // Killed before its first checkpoint: nothing to continue, so the run starts over as it was started.
                init ??= start?.Init;
                Log.Warning("{Run} holds no complete checkpoint yet: starting the run over", run.Path);
            }
            else
            {
                if (init is not null) Log.Warning("--init is ignored when resuming: the run's own checkpoint has the weights");
                init = null;
            }
        }
        else
        {
            init = init is null ? null : Path.GetFullPath(init);
            if (init is not null && !Directory.Exists(init) && !File.Exists(init))
                throw new InputException($"{init}: no such checkpoint file or folder (--init)");
            run = runDir is not null ? RunFolder.CreateAt(runDir, config, stage, init) : RunFolder.Create(config, stage, init: init);
            checkpoints = RunCheckpoints.Open(run.CheckpointsPath, CrashTestHook.FromEnvironment());
        }
        if (group is { Rank: 0 }) group.Broadcast($"{run.Path}\n{resumeCheckpoint}\n{init}");
        Log.Information("slt {Stage}: run folder {Run}, device {Device}, seed {Seed}", stage, run.Path, device, config.Run.Seed);

        torch.random.manual_seed(config.Run.Seed);
        var data = ExperimentData.Open(config);
        var tokenizer = resumeCheckpoint is not null ? CheckpointStore.ReadTokenizer(resumeCheckpoint) : data.CreateTokenizer();
        Log.Information("tokenizer {Kind} ({Language}): {Size} ids", tokenizer.Kind, tokenizer.Language, tokenizer.VocabularySize);
        using var task = CreateTask(stage, config, tokenizer, init, fresh: resumeCheckpoint is null, device);
        var terminal = Console.IsErrorRedirected || !ReferenceEquals(stderr, Console.Error) || group is { Rank: > 0 } ? null : stderr;
        var outcome = new Trainer(config, data, tokenizer, run, terminal, checkpoints, group).Run(task, resumeCheckpoint, cancel);
        if (group is { Rank: > 0 }) return outcome.Interrupted ? ExitCodes.Interrupted : ExitCodes.Success;

        stdout.WriteLine($"run folder: {outcome.RunFolder}");
        stdout.WriteLine($"last checkpoint: {outcome.LastCheckpoint} ({outcome.EpochsCompleted} epochs)");
        if (outcome.BestCheckpoint is not null)
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"best checkpoint: {outcome.BestCheckpoint} ({outcome.SelectionMetric ?? "best dev score"} {outcome.BestSelection:0.####})"));
        if (outcome.Interrupted)
        {
            stderr.WriteLine($"slt: interrupted; continue with: slt {stage} --resume {outcome.RunFolder}");
            return ExitCodes.Interrupted;
        }
        return ExitCodes.Success;
    }

    /// <param name="fresh">false when resuming: the run's checkpoint replaces every weight, so pretrained files are not read.</param>
    private static ITrainingTask CreateTask(string stage, ExperimentConfig config, ITextTokenizer tokenizer, string? init, bool fresh, torch.Device device)
    {
        if (stage == "pretrain")
        {
            var (model, decoder) = TrainedModels.NewVlp(config, tokenizer);
            Log.Information("VLP model: {Parameters:N0} parameters, masked-text decoder {Decoder:N0}",
                ParameterCount.Unique(model), ParameterCount.Unique(decoder));
            if (fresh) PretrainedWeights.Apply(model, decoder, config.Model, config.ResolvePath);
            model.to(device);
            decoder.to(device);
            return new PretrainTask(model, decoder, tokenizer, config.Training, config.SignCl, config.Run.Seed, device);
        }
        var slt = TrainedModels.NewSlt(config, tokenizer);
        Log.Information("SLT model: {Parameters:N0} parameters", ParameterCount.Unique(slt));
        if (init is not null)
            VlpToSltTransfer.LoadInit(slt, Path.GetFullPath(init), config.Model.Init,
                config.Model.MbartWeights.Length > 0 ? config.ResolvePath(config.Model.MbartWeights) : null);
        else if (fresh)
            PretrainedWeights.Apply(slt, config.Model, config.ResolvePath);
        slt.to(device);
        return new FinetuneTask(slt, tokenizer, config.Training, config.Eval, config.SignCl, config.Run.Seed, device);
    }
}
