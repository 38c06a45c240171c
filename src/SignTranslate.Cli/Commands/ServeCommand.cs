using System.CommandLine;
using SignTranslate.Cli.Serve;

namespace SignTranslate.Cli.Commands;

/// <summary>
/// <c>slt serve --checkpoint CKPT [--port 8080] [--host 127.0.0.1]</c>: a local web page that translates an uploaded
/// video (or zip of frames) or a test clip of the checkpoint's dataset and shows what the model attended to
/// (<see cref="ServeApp"/>). Listens on loopback unless told otherwise; runs until Ctrl+C.
/// </summary>
public static class ServeCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var checkpoint = SharedOptions.Checkpoint("Checkpoint folder of a finetuned model");
        var host = new Option<string>("--host") { Description = "Address to listen on (default 127.0.0.1: this machine only)", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "Port (default 8080; 0 picks a free one)", DefaultValueFactory = _ => 8080 };
        var maxUpload = new Option<int>("--max-upload-mb") { Description = "Largest upload accepted, MiB (default 64)", DefaultValueFactory = _ => 64 };
        var maxSeconds = new Option<double>("--max-seconds") { Description = "Longest video accepted, seconds (default 60)", DefaultValueFactory = _ => 60 };
        var beam = SharedOptions.Beam();
        var device = SharedOptions.DeviceOfCheckpoint();
        var command = new Command("serve", "Serve a local web page (and JSON API) that translates clips and shows the model's attention")
        {
            checkpoint, host, port, maxUpload, maxSeconds, beam, device,
        };
        command.SetAction((parse, cancel) => CommandRunner.RunAsync(parse, stderr, async token =>
        {
            var overrides = new List<string>();
            if (parse.GetValue(beam) is { } b) overrides.Add($"eval.num_beams={b}");
            if (parse.GetValue(device) is { } d) overrides.Add($"run.device={d}");
            if (parse.GetValue(maxUpload) < 1) throw new InputException("--max-upload-mb must be at least 1");
            if (parse.GetValue(maxSeconds) <= 0) throw new InputException("--max-seconds must be above 0");
            var options = new ServeOptions
            {
                Checkpoint = parse.GetValue(checkpoint)!.FullName,
                Host = parse.GetValue(host)!,
                Port = parse.GetValue(port),
                MaxUploadBytes = parse.GetValue(maxUpload) * 1024L * 1024,
                MaxSeconds = parse.GetValue(maxSeconds),
                Overrides = overrides,
            };
            await using var app = await ServeApp.StartAsync(options, token);
            if (!System.Net.IPAddress.TryParse(options.Host, out var ip) || !System.Net.IPAddress.IsLoopback(ip))
                if (options.Host != "localhost")
                    stderr.WriteLine($"slt serve: warning: listening on {options.Host}, reachable from other machines");
            stdout.WriteLine($"slt serve: listening on {app.Url} (Ctrl+C stops)");
            stdout.Flush();
            try { await Task.Delay(Timeout.Infinite, token); }
            catch (OperationCanceledException) { }
            return ExitCodes.Success;
        }, cancel));
        return command;
    }
}
