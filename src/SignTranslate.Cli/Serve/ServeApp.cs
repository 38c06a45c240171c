using System.Net;
using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Serilog;

namespace SignTranslate.Cli.Serve;

/// <summary>
/// The web app of <c>slt serve</c>: the page (plain HTML/CSS/JS embedded in this assembly, nothing fetched from
/// elsewhere, so it works offline) and the JSON API under <c>/api/</c>:
/// <list type="bullet">
/// <item><c>GET /api/info</c>: checkpoint, limits, requests waiting;</item>
/// <item><c>GET /api/clips</c>: the test clips of the checkpoint's dataset;</item>
/// <item><c>POST /api/translate</c> (multipart, field <c>clip</c>): an uploaded video file or zip of frames → <see cref="ClipReport"/>;</item>
/// <item><c>POST /api/clips/{index}/translate</c>: a test clip → <see cref="ClipReport"/>;</item>
/// <item><c>GET /api/progress/{id}</c>: the stage of the running request that passed <c>?progress=id</c>.</item>
/// </list>
/// Errors are <c>{"error": "..."}</c> with 400 (bad input), 413 (too large), 503 (queue full) or 500 (a bug; the server
/// keeps answering).
/// </summary>
public sealed class ServeApp : IAsyncDisposable
{
    public static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private readonly WebApplication _app;
    private readonly ClipTranslator _translator;

    private ServeApp(WebApplication app, ClipTranslator translator, string url)
    {
        _app = app;
        _translator = translator;
        Url = url;
    }

    /// <summary>The address the server listens on, e.g. <c>http://127.0.0.1:8080</c>.</summary>
    public string Url { get; }

    /// <summary>Loads the checkpoint, starts listening and returns once requests are accepted.</summary>
    public static async Task<ServeApp> StartAsync(ServeOptions options, CancellationToken cancel)
    {
        if (!IPAddress.TryParse(options.Host, out var address) && options.Host != "localhost")
            throw new InputException($"--host {options.Host}: give an IP address (127.0.0.1, ::1, 0.0.0.0) or localhost");
        if (options.Port is < 0 or > 65535) throw new InputException($"--port {options.Port}: must be 0..65535");
        var translator = new ClipTranslator(options);
        try
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(kestrel =>
            {
                kestrel.Limits.MaxRequestBodySize = options.MaxUploadBytes + 1024 * 1024;   // room for the multipart framing
                if (address is null) kestrel.ListenLocalhost(options.Port);
                else kestrel.Listen(address, options.Port);
            });
            builder.Services.Configure<FormOptions>(form => form.MultipartBodyLengthLimit = options.MaxUploadBytes + 1024 * 1024);
            var app = builder.Build();
            Map(app, translator, options);
            await app.StartAsync(cancel);
            var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new ServeApp(app, translator, url.Replace("[::]", "localhost"));
        }
        catch (IOException e)
        {
            translator.Dispose();
            throw new InputException($"cannot listen on {options.Host}:{options.Port}: {e.Message}");
        }
        catch
        {
            translator.Dispose();
            throw;
        }
    }

    private static void Map(WebApplication app, ClipTranslator translator, ServeOptions options)
    {
        app.MapGet("/", () => Asset("index.html", "text/html; charset=utf-8"));
        app.MapGet("/app.js", () => Asset("app.js", "text/javascript; charset=utf-8"));
        app.MapGet("/app.css", () => Asset("app.css", "text/css; charset=utf-8"));
        app.MapGet("/api/info", () => Results.Json(new
        {
            checkpoint = options.Checkpoint,
            max_upload_mb = options.MaxUploadBytes / (1024 * 1024),
            max_seconds = options.MaxSeconds,
            waiting = translator.Waiting,
        }, Json));
        app.MapGet("/api/clips", () => Guard(() =>
        {
            var (ids, problem) = translator.TestClips();
            return Task.FromResult(Results.Json(new { clips = ids.Select((id, i) => new { index = i, id }), problem }, Json));
        }));
        app.MapGet("/api/progress/{id}", (string id) => Results.Json(new { stage = translator.Stage(id) }, Json));
        app.MapPost("/api/clips/{index:int}/translate", (int index, HttpContext http) =>
            Guard(async () => Results.Json(await translator.TranslateTestClipAsync(index, ProgressId(http), http.RequestAborted), Json)));
        app.MapPost("/api/translate", (Func<HttpContext, Task<IResult>>)(http => Guard(async () =>
        {
            if (!http.Request.HasFormContentType) throw new InputException("send the clip as multipart/form-data in the field 'clip'");
            var form = await http.Request.ReadFormAsync(http.RequestAborted);
            var file = form.Files.GetFile("clip") ?? throw new InputException("no file in the form field 'clip'");
            await using var content = file.OpenReadStream();
            using var clip = await UploadedClip.SaveAsync(file.FileName, content, options, http.RequestAborted);
            return Results.Json(await translator.TranslateAsync(Path.GetFileName(file.FileName), clip.Sample, ProgressId(http), http.RequestAborted), Json);
        })));
    }

    /// <summary>
    /// The <c>?progress=ID</c> a page names so that <c>GET /api/progress/ID</c> can tell it what its request is doing;
    /// only short letter/digit/dash ids are kept (anything else is ignored, never stored).
    /// </summary>
    private static string? ProgressId(HttpContext http) =>
        http.Request.Query["progress"].ToString() is { Length: > 0 and <= 64 } id && id.All(c => char.IsAsciiLetterOrDigit(c) || c == '-') ? id : null;

    /// <summary>Turns every failure of a request into a JSON error and a status; nothing a request does stops the server.</summary>
    private static async Task<IResult> Guard(Func<Task<IResult>> handle)
    {
        try
        {
            return await handle();
        }
        catch (UploadTooLargeException e) { return Error(e.Message, StatusCodes.Status413PayloadTooLarge); }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Error("the upload is larger than the server's limit (slt serve --max-upload-mb)", StatusCodes.Status413PayloadTooLarge);
        }
        catch (BadHttpRequestException e) { return Error($"bad request: {e.Message}", StatusCodes.Status400BadRequest); }
        catch (InvalidDataException e) { return Error($"bad request: {e.Message}", StatusCodes.Status400BadRequest); }
        catch (InputException e) { return Error(e.Message, StatusCodes.Status400BadRequest); }
        catch (BusyException e) { return Error(e.Message, StatusCodes.Status503ServiceUnavailable); }
        catch (OperationCanceledException) { return Error("the request was cancelled", 499); }
        catch (Exception e)
        {
            Log.Error(e, "Request failed");
            return Error($"internal error: {e.Message} (a bug in slt; the server keeps running)", StatusCodes.Status500InternalServerError);
        }
    }

    private static IResult Error(string message, int status) => Results.Json(new { error = message }, Json, statusCode: status);

    private static IResult Asset(string name, string contentType)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"SignTranslate.Cli.Serve.wwwroot.{name}")
            ?? throw new InvalidOperationException($"embedded asset {name} missing");
        using var reader = new StreamReader(stream);
        return Results.Text(reader.ReadToEnd(), contentType);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _translator.Dispose();
    }
}
