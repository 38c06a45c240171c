using System.CommandLine;
using SignTranslate.Data;
using SignTranslate.Data.Import;
using SignTranslate.Files;

namespace SignTranslate.Cli.Commands;

/// <summary>
/// <c>slt data import how2sign|openasl|labels|csl_daily ... --out DIR</c>: converts a downloaded corpus into the
/// manifest format (manifest.{train,dev,test}.tsv + dataset.yaml) in one run, all three splits at once, so the
/// dataset.yaml it prints is complete. See docs/datasets.md#importing-corpora.
/// </summary>
public static class DataImportCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var command = new Command("import", "Convert a downloaded corpus (How2Sign, OpenASL, labels files, CSL-Daily) into train/dev/test manifests and a dataset.yaml");
        command.Subcommands.Add(How2Sign(stdout, stderr));
        command.Subcommands.Add(OpenAsl(stdout, stderr));
        command.Subcommands.Add(Labels(stdout, stderr));
        command.Subcommands.Add(CslDaily(stdout, stderr));
        return command;
    }

    private static Option<DirectoryInfo> Out() => new("--out", "-o")
    {
        Description = "Folder for manifest.{train,dev,test}.tsv and dataset.yaml; it must hold the videos or frames (manifests name them relative to their own folder)",
        Required = true,
    };

    private static Option<bool> SkipMissing(string what) => new("--skip-missing")
    {
        Description = $"Leave out rows whose {what} is absent (they are counted and the first few listed); without it a missing {what} is an error",
    };

    private static Command How2Sign(TextWriter stdout, TextWriter stderr)
    {
        var csv = Enum.GetValues<Split>().ToDictionary(s => s, s => new Option<FileInfo>($"--{Name(s)}-csv")
        {
            Description = $"how2sign_realigned_{(s == Split.Dev ? "val" : Name(s))}.csv (tab-separated despite the name)", Required = true,
        });
        var videos = Enum.GetValues<Split>().ToDictionary(s => s, s => new Option<DirectoryInfo>($"--{Name(s)}-videos")
        {
            Description = $"Folder of the {(s == Split.Dev ? "val" : Name(s))} sentence clips, SENTENCE_NAME.mp4 (e.g. {(s == Split.Dev ? "val" : Name(s))}_rgb_front_clips/raw_videos)",
            Required = true,
        });
        var keypoints = Enum.GetValues<Split>().ToDictionary(s => s, s => new Option<DirectoryInfo>($"--{Name(s)}-keypoints")
        {
            Description = $"Folder of the {(s == Split.Dev ? "val" : Name(s))} clips' OpenPose output, a SENTENCE_NAME/ folder of JSON per clip (e.g. {(s == Split.Dev ? "val" : Name(s))}_2D_keypoints/openpose_output/json); named in the manifests' keypoints column",
        });
        var whole = new Option<bool>("--whole-videos")
        {
            Description = "The video folders hold the raw videos (VIDEO_NAME.mp4), cut at START_REALIGNED/END_REALIGNED, instead of the sentence clips",
        };
        var skip = SkipMissing("video");
        var output = Out();
        var command = new Command("how2sign", "How2Sign: the realigned CSV files and sentence clips (or raw videos) of train, val (our dev) and test");
        foreach (var s in Enum.GetValues<Split>()) { command.Options.Add(csv[s]); command.Options.Add(videos[s]); command.Options.Add(keypoints[s]); }
        command.Options.Add(whole);
        command.Options.Add(skip);
        command.Options.Add(output);
        command.SetAction(parse => Run(parse, stdout, stderr, output, folder =>
        {
            var given = Enum.GetValues<Split>().Where(s => parse.GetValue(keypoints[s]) is not null).ToList();
            if (given.Count is > 0 and < 3)
                throw new InputException($"--{Name(given[0])}-keypoints: give the keypoints of all three splits (--train-keypoints, --dev-keypoints, --test-keypoints) or of none");
            return How2SignImporter.Import(
                Enum.GetValues<Split>().ToDictionary(s => s, s => new How2SignSplit(parse.GetValue(csv[s])!.FullName, parse.GetValue(videos[s])!.FullName,
                    parse.GetValue(keypoints[s])?.FullName)),
                folder, parse.GetValue(whole), parse.GetValue(skip));
        }));
        return command;
    }

    private static Command OpenAsl(TextWriter stdout, TextWriter stderr)
    {
        var tsv = new Option<FileInfo>("--tsv") { Description = "openasl-v1.0.tsv (columns vid, yid, start, end, raw-text, tokenized-text, gloss, split)", Required = true };
        var videos = new Option<DirectoryInfo>("--videos") { Description = "Folder of the downloaded YouTube videos, <yid>.mp4 (or with --clips the cut clips, <vid>.mp4)", Required = true };
        var clips = new Option<bool>("--clips") { Description = "The folder holds clips already cut per sentence (<vid>.mp4, or crop_video.py's name with '%' for ':'), used whole" };
        var text = new Option<string>("--text-column") { Description = "The translation column", DefaultValueFactory = _ => OpenAslImporter.DefaultTextColumn };
        text.AcceptOnlyFromAmong("raw-text", "tokenized-text");
        var skip = SkipMissing("video");
        var output = Out();
        var command = new Command("openasl", "OpenASL: openasl-v1.0.tsv and the videos you downloaded (split train/valid/test; valid becomes dev)")
        {
            tsv, videos, clips, text, skip, output,
        };
        command.SetAction(parse => Run(parse, stdout, stderr, output, folder => OpenAslImporter.Import(
            parse.GetValue(tsv)!.FullName, parse.GetValue(videos)!.FullName, folder, parse.GetValue(clips), parse.GetValue(text)!, parse.GetValue(skip))));
        return command;
    }

    private static Command Labels(TextWriter stdout, TextWriter stderr)
    {
        var labels = new Option<DirectoryInfo>("--labels") { Description = "Folder of labels.train, labels.dev and labels.test (GFSLT-VLP gzip pickles: Phoenix-2014T, or `slt synth --out`)", Required = true };
        var frames = new Option<DirectoryInfo?>("--frames") { Description = "The image root the labels' frame paths are relative to (default: the --labels folder)" };
        var skip = SkipMissing("frame folder");
        var output = Out();
        var command = new Command("labels", "GFSLT-VLP labels files (Phoenix-2014T, synthetic): one manifest line per sample, its frame folder as the video")
        {
            labels, frames, skip, output,
        };
        command.SetAction(parse => Run(parse, stdout, stderr, output, folder =>
        {
            var root = parse.GetValue(labels)!.FullName;
            var files = Enum.GetValues<Split>().ToDictionary(s => s, s => Path.Combine(root, $"labels.{Name(s)}"));
            return FrameFolderImporter.ImportLabels(files, parse.GetValue(frames)?.FullName ?? root, folder, parse.GetValue(skip));
        }));
        return command;
    }

    private static Command CslDaily(TextWriter stdout, TextWriter stderr)
    {
        var root = new Option<DirectoryInfo>("--root") { Description = "The CSL-Daily release folder (holding sentence_label/ and sentence/)", Required = true };
        var annotations = new Option<string>("--annotations") { Description = "Annotation pickle, relative to --root", DefaultValueFactory = _ => "sentence_label/csl2020ct_v2.pkl" };
        var splitList = new Option<string>("--split-list") { Description = "The name|split file, relative to --root", DefaultValueFactory = _ => "sentence_label/split_1.txt" };
        var frames = new Option<string>("--frames") { Description = "Folder of the frame folders, relative to --root", DefaultValueFactory = _ => "sentence/frames_512x512" };
        var skip = SkipMissing("frame folder");
        var output = Out();
        var command = new Command("csl_daily", "CSL-Daily: csl2020ct_v2.pkl, split_1.txt and the frame folders")
        {
            root, annotations, splitList, frames, skip, output,
        };
        command.SetAction(parse => Run(parse, stdout, stderr, output, folder =>
        {
            var release = parse.GetValue(root)!.FullName;
            return FrameFolderImporter.ImportCslDaily(Path.GetFullPath(parse.GetValue(annotations)!, release),
                Path.GetFullPath(parse.GetValue(splitList)!, release), Path.GetFullPath(parse.GetValue(frames)!, release), folder, parse.GetValue(skip));
        }));
        return command;
    }

    private static int Run(ParseResult parse, TextWriter stdout, TextWriter stderr, Option<DirectoryInfo> output, Func<string, ImportedCorpus> import) =>
        CommandRunner.Run(parse, stderr, () =>
        {
            var folder = parse.GetValue(output)!.FullName;
            OutputFolder.EnsureWritable(folder, "--out");
            var corpus = import(folder);
            var yaml = CorpusManifests.Write(folder, corpus);
            foreach (var split in Enum.GetValues<Split>())
                stdout.WriteLine($"{Name(split),-5} {(corpus.Splits.TryGetValue(split, out var e) ? e.Count : 0),7} samples -> {Path.Combine(folder, CorpusManifests.FileName(split))}");
            if (corpus.Skipped.Count > 0)
                stderr.WriteLine($"slt: warning: {MissingVideos.Describe(corpus.Skipped, corpus.Corpus == "labels" || corpus.Corpus == "csl_daily" ? "frame folder" : "video")}");
            stdout.WriteLine($"wrote {Path.Combine(folder, CorpusManifests.DatasetFileName)}:");
            stdout.Write(yaml);
            return ExitCodes.Success;
        });

    private static string Name(Split split) => split.ToString().ToLowerInvariant();
}
