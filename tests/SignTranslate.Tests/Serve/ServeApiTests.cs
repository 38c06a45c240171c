using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using SignTranslate.Cli.Serve;
using SignTranslate.Tests.Cli;
using SignTranslate.Tests.Data.Video;

namespace SignTranslate.Tests.Serve;

/// <summary><c>slt serve</c>'s JSON API, in-process on a free loopback port.</summary>
public sealed class ServeApiTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("slt-serve-api-");

    public void Dispose() => _dir.Delete(recursive: true);

    private async Task<(ServeApp App, HttpClient Http)> Start(long maxUploadBytes = 64L * 1024 * 1024)
    {
        var checkpoint = UntrainedCheckpoint.Write(_dir.FullName);
        var app = await ServeApp.StartAsync(new ServeOptions { Checkpoint = checkpoint, Port = 0, MaxUploadBytes = maxUploadBytes }, CancellationToken.None);
        return (app, new HttpClient { BaseAddress = new Uri(app.Url), Timeout = TimeSpan.FromSeconds(30) });
    }

    private static MultipartFormDataContent Upload(string path, string? name = null)
    {
        var content = new ByteArrayContent(File.ReadAllBytes(path));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return new MultipartFormDataContent { { content, "clip", name ?? Path.GetFileName(path) } };
    }

    [Fact]
    public async Task AnUploadedVideoTranslatesAsSltTranslateDoesWithOneAttentionRowPerToken()
    {
        var (app, http) = await Start();
        await using var _ = app;
        using var __ = http;
        var video = TestVideos.Write(Path.Combine(_dir.FullName, "clip.mp4"));
        var expected = CliRunner.Run("translate", "--checkpoint", Path.Combine(_dir.FullName, "checkpoint"), video, "-q");
        Assert.Equal(0, expected.ExitCode);

        using var response = await http.PostAsync("api/translate", Upload(video));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var report = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = report.RootElement;
        Assert.Equal(expected.Stdout.TrimEnd('\n'), root.GetProperty("text").GetString());
        var frames = root.GetProperty("frames").GetInt32();
        Assert.All(root.GetProperty("tokens").EnumerateArray(), t => Assert.Equal(frames, t.GetProperty("attention").GetArrayLength()));
        Assert.Equal(frames, root.GetProperty("frame_map").GetProperty("x").GetArrayLength());
        Assert.NotEmpty(root.GetProperty("thumbnails").EnumerateArray());
    }

    [Fact]
    public async Task BadUploadsGetAClearMessageAnd4xxAndTheServerKeepsAnswering()
    {
        var (app, http) = await Start(maxUploadBytes: 100_000);
        await using var _ = app;
        using var __ = http;
        var corrupt = Path.Combine(_dir.FullName, "corrupt.mp4");
        File.WriteAllBytes(corrupt, Enumerable.Range(0, 5000).Select(i => (byte)(i * 7919 % 251)).ToArray());
        var large = Path.Combine(_dir.FullName, "large.mp4");
        File.WriteAllBytes(large, new byte[200_000]);
        var text = Path.Combine(_dir.FullName, "notes.txt");
        File.WriteAllText(text, "hello");
        var temporaryBefore = ServeFolders();

        await ExpectError(http.PostAsync("api/translate", Upload(corrupt)), HttpStatusCode.BadRequest, "cannot be read");
        await ExpectError(http.PostAsync("api/translate", Upload(text)), HttpStatusCode.BadRequest, "neither a video file");
        await ExpectError(http.PostAsync("api/translate", Upload(corrupt, "../../evil.zip")), HttpStatusCode.BadRequest, "not a readable zip");
        await ExpectError(http.PostAsync("api/translate", Upload(large)), HttpStatusCode.RequestEntityTooLarge, "limit");
        await ExpectError(http.PostAsync("api/translate", new StringContent("x")), HttpStatusCode.BadRequest, "multipart");
        await ExpectError(http.PostAsync("api/clips/99/translate", null), HttpStatusCode.BadRequest, "no test clip 99");

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("api/info")).StatusCode);
        Assert.Equal(temporaryBefore, ServeFolders());
        // A finished (or unknown) request has no stage; a progress id is never a path or stored when malformed.
        Assert.Contains("\"stage\":null", await http.GetStringAsync("api/progress/no-such-request"));
        using var translated = await http.PostAsync("api/clips/0/translate?progress=../../x", null);
        Assert.Equal(HttpStatusCode.OK, translated.StatusCode);
    }

    [Fact]
    public async Task ConcurrentRequestsAreQueuedAndAllAnswered()
    {
        var (app, http) = await Start();
        await using var _ = app;
        using var __ = http;
        using var clips = JsonDocument.Parse(await http.GetStringAsync("api/clips"));
        Assert.Equal(4, clips.RootElement.GetProperty("clips").GetArrayLength());
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => http.PostAsync($"api/clips/{i % 4}/translate", null)));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var texts = await Task.WhenAll(responses.Select(async r => JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.GetProperty("text").GetString()));
        for (var i = 0; i < 4; i++) Assert.Equal(texts[i], texts[i + 4]);
    }

    [Fact]
    public async Task AZipOfFramesTranslatesAndLimitsApply()
    {
        var (app, http) = await Start();
        await using var _ = app;
        using var __ = http;
        var zip = Path.Combine(_dir.FullName, "frames.zip");
        using (var archive = System.IO.Compression.ZipFile.Open(zip, System.IO.Compression.ZipArchiveMode.Create))
            for (var k = 0; k < 30; k++)
            {
                var (r, g, b) = TestVideos.Colour(k);
                var planes = Enumerable.Repeat(r, 256).Concat(Enumerable.Repeat(g, 256)).Concat(Enumerable.Repeat(b, 256)).ToArray();
                // Folders and a path-like name inside the zip are flattened away, never used as paths.
                using var entry = archive.CreateEntry($"../clip/frame{k:D3}.png").Open();
                entry.Write(SignTranslate.Data.Synthetic.PngEncoder.EncodePlanarRgb(planes, 16, 16));
            }
        using var response = await http.PostAsync("api/translate", Upload(zip));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        Assert.Equal(30, JsonDocument.Parse(body).RootElement.GetProperty("frames").GetInt32());
        Assert.False(File.Exists(Path.Combine(Path.GetTempPath(), "clip", "frame000.png")));

        // Longer than --max-seconds: refused before decoding.
        await using var shortApp = await ServeApp.StartAsync(
            new ServeOptions { Checkpoint = Path.Combine(_dir.FullName, "checkpoint"), Port = 0, MaxSeconds = 1 }, CancellationToken.None);
        using var shortClient = new HttpClient { BaseAddress = new Uri(shortApp.Url) };
        var video = TestVideos.Write(Path.Combine(_dir.FullName, "two-seconds.mp4"), frames: 50, fps: 25);
        await ExpectError(shortClient.PostAsync("api/translate", Upload(video)), HttpStatusCode.BadRequest, "longer than the limit of 1 s");
    }

    [Fact]
    public void ABadHostOrBusyPortIsOneLineErrorOfTheCommand()
    {
        var checkpoint = UntrainedCheckpoint.Write(_dir.FullName);
        var result = CliRunner.Run("serve", "--checkpoint", checkpoint, "--host", "example.org", "-q");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--host example.org: give an IP address", result.Stderr);

        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        result = CliRunner.Run("serve", "--checkpoint", checkpoint, "--port", port, "-q");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"cannot listen on 127.0.0.1:{port}", result.Stderr);
    }

    private static async Task ExpectError(Task<HttpResponseMessage> request, HttpStatusCode status, string message)
    {
        using var response = await request;
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{response.StatusCode}: {body}");
        Assert.Contains(message, JsonDocument.Parse(body).RootElement.GetProperty("error").GetString());
    }

    private static int ServeFolders() => Directory.EnumerateDirectories(Path.GetTempPath(), "slt-serve-*").Count(d => !d.Contains("slt-serve-api-") && !d.Contains("slt-serve-browser-"));
}
