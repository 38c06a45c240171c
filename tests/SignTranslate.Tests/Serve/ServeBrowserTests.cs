using System.Diagnostics;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using SignTranslate.Cli.Serve;
using SignTranslate.Tests.Cli;
using SignTranslate.Tests.Data.Video;

namespace SignTranslate.Tests.Serve;

/// <summary>
/// The page of <c>slt serve</c> in a real browser: the system's headless Chromium through /usr/bin/chromedriver
/// (scripts/setup.sh installs both; nothing is downloaded at run time). With SLT_SERVE_CHECKPOINT the test uses that
/// checkpoint instead of an untrained one, and with SLT_SERVE_SCREENSHOTS it saves the page there as PNG files
/// (how docs/images/serve-*.png are made).
/// </summary>
public sealed class ServeBrowserTests : IDisposable
{
    private const string Chromium = "/usr/bin/chromium";
    private const string ChromeDriver = "/usr/bin/chromedriver";
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("slt-serve-browser-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public async Task PageTranslatesAnUploadLikeSltTranslateAndShowsAnErrorForACorruptOne()
    {
        Assert.True(File.Exists(Chromium) && File.Exists(ChromeDriver),
            $"{Chromium} and {ChromeDriver} are needed: run scripts/setup.sh (apt-get install chromium chromium-driver)");
        var checkpoint = Environment.GetEnvironmentVariable("SLT_SERVE_CHECKPOINT") is { Length: > 0 } given ? given : UntrainedCheckpoint.Write(_dir.FullName);
        var screenshots = Environment.GetEnvironmentVariable("SLT_SERVE_SCREENSHOTS");
        var video = Environment.GetEnvironmentVariable("SLT_SERVE_CLIP") is { Length: > 0 } clip ? clip : TestVideos.Write(Path.Combine(_dir.FullName, "clip.mp4"));
        var corrupt = Path.Combine(_dir.FullName, "corrupt.mp4");
        File.WriteAllBytes(corrupt, Enumerable.Range(0, 5000).Select(i => (byte)(i * 7919 % 251)).ToArray());
        var expected = CliRunner.Run("translate", "--checkpoint", checkpoint, video, "-q");
        Assert.Equal(0, expected.ExitCode);

        await using var app = await ServeApp.StartAsync(new ServeOptions { Checkpoint = checkpoint, Port = 0 }, CancellationToken.None);
        using var browser = StartChromium();
        browser.Navigate().GoToUrl(app.Url);

        browser.FindElement(By.Id("clip-file")).SendKeys(video);
        browser.FindElement(By.Id("upload")).Click();
        WaitUntil(browser, () => !browser.FindElement(By.Id("result")).GetAttribute("hidden").IsTrue() || IsShown(browser, "error"));
        Assert.False(IsShown(browser, "error"), browser.FindElement(By.Id("error")).Text);
        var text = expected.Stdout.TrimEnd('\n');
        Assert.Equal(text.Length == 0 ? "(empty translation)" : text, browser.FindElement(By.Id("translation")).Text);
        var tokens = browser.FindElements(By.CssSelector("#tokens .token")).Count;
        var rows = browser.FindElements(By.CssSelector("#timeline tr.token-row"));
        Assert.Equal(tokens, rows.Count);
        var thumbnails = browser.FindElements(By.CssSelector("#timeline thead img")).Count;
        Assert.True(thumbnails > 0);
        Assert.All(rows, row => Assert.Equal(thumbnails, row.FindElements(By.CssSelector("td.cell")).Count));
        Assert.NotEmpty(browser.FindElements(By.CssSelector("#frame-map circle")));
        if (screenshots is not null)
        {
            if (rows.Count > 0) new OpenQA.Selenium.Interactions.Actions(browser).MoveToElement(rows[Math.Min(1, rows.Count - 1)]).Perform();
            Save(browser, screenshots, "serve-translation.png");
        }

        browser.FindElement(By.Id("clip-file")).Clear();
        browser.FindElement(By.Id("clip-file")).SendKeys(corrupt);
        browser.FindElement(By.Id("upload")).Click();
        WaitUntil(browser, () => IsShown(browser, "error"));
        Assert.Contains("cannot be read", browser.FindElement(By.Id("error")).Text);
        Assert.False(IsShown(browser, "result"));   // the previous clip's result is not left to be read as this one's
        if (screenshots is not null) Save(browser, screenshots, "serve-error.png");

        // The server still answers: the page loads again and a test clip translates.
        browser.Navigate().Refresh();
        WaitUntil(browser, () => browser.FindElements(By.CssSelector("#test-clips option")).Count > 0);
        browser.FindElement(By.Id("translate-clip")).Click();
        WaitUntil(browser, () => !browser.FindElement(By.Id("result")).GetAttribute("hidden").IsTrue() || IsShown(browser, "error"));
        Assert.False(IsShown(browser, "error"), browser.FindElement(By.Id("error")).Text);
    }

    private ChromeDriver StartChromium()
    {
        // Both paths given: Selenium Manager (which would download a browser) never runs.
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromeDriver)!, Path.GetFileName(ChromeDriver));
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        var options = new ChromeOptions { BinaryLocation = Chromium };
        options.AddArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
            "--window-size=1280,1400", $"--user-data-dir={Path.Combine(_dir.FullName, "chromium-profile")}");
        return new ChromeDriver(service, options, TimeSpan.FromSeconds(30));
    }

    private static bool IsShown(IWebDriver browser, string id) => !browser.FindElement(By.Id(id)).GetAttribute("hidden").IsTrue();

    private static void WaitUntil(IWebDriver browser, Func<bool> condition, double seconds = 20)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed.TotalSeconds > seconds)
                Assert.Fail($"the page did not get there in {seconds} s; status: '{browser.FindElement(By.Id("status")).Text}'");
            Thread.Sleep(100);
        }
    }

    private static void Save(ChromeDriver browser, string folder, string name)
    {
        Directory.CreateDirectory(folder);
        browser.GetScreenshot().SaveAsFile(Path.Combine(folder, name));
    }
}

internal static class AttributeValues
{
    /// <summary>A boolean HTML attribute as Selenium reports it: "true" (or "") when present, null when absent.</summary>
    public static bool IsTrue(this string? value) => value is not null && value != "false";
}
