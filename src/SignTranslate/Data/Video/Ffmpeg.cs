using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace SignTranslate.Data.Video;

/// <summary>What one run of an FFmpeg program gave back.</summary>
/// <param name="ExitCode">The program's exit status.</param>
/// <param name="Output">Everything it wrote to stdout (raw frames, or ffprobe's JSON).</param>
/// <param name="Errors">What it wrote to stderr (with <c>-v error</c>: its error messages only).</param>
public sealed partial record FfmpegResult(int ExitCode, byte[] Output, string Errors)
{
    /// <summary>
    /// FFmpeg's messages on one line, without the "[demuxer @ 0x...]" and file-name prefixes and hints:
    /// "moov atom not found; Invalid data found when processing input".
    /// </summary>
    public string Message(string path)
    {
        var lines = Errors.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => ComponentPrefix().Replace(line, ""))
            .Select(line => line.StartsWith(path + ": ", StringComparison.Ordinal) ? line[(path.Length + 2)..] : line)
            .Where(line => !line.StartsWith("To ignore this", StringComparison.Ordinal))
            .Distinct().ToList();
        if (lines.Count == 0) return $"exit code {ExitCode}";
        var text = string.Join("; ", lines.Take(3)) + (lines.Count > 3 ? $"; ... ({lines.Count - 3} more)" : "");
        return text.TrimEnd('.');
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^\[[^\]]+ @ 0x[0-9a-f]+\]\s*")]
    private static partial System.Text.RegularExpressions.Regex ComponentPrefix();
}

/// <summary>
/// Runs Debian's <c>ffmpeg</c> and <c>ffprobe</c> programs (docs/datasets.md#video-files): arguments as a list (no
/// shell, so file names need no quoting), stdout and stderr read concurrently (a full stderr pipe would stall a
/// decoder writing frames), and the process killed when the caller is cancelled. The programs are found on PATH, or
/// in the folder <c>SLT_FFMPEG_DIR</c> names.
/// </summary>
public static class Ffmpeg
{
    /// <summary>The environment variable naming a folder that holds <c>ffmpeg</c> and <c>ffprobe</c>.</summary>
    public const string FolderVariable = "SLT_FFMPEG_DIR";

    public const string InstallHint = "install FFmpeg (Debian: apt-get install ffmpeg; scripts/setup.sh does it) " +
                                      $"or name its folder in {FolderVariable}";

    /// <summary>Whether <paramref name="program"/> (<c>ffmpeg</c> or <c>ffprobe</c>) can be started.</summary>
    public static bool IsAvailable(string program = "ffmpeg") => Locate(program) is not null;

    /// <exception cref="InputException">The program is not installed.</exception>
    public static FfmpegResult Run(string program, IEnumerable<string> arguments, Stream? input = null, CancellationToken cancel = default)
    {
        var path = Locate(program) ?? throw new InputException($"{program} not found: {InstallHint}");
        var start = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new InputException($"{path} cannot be started ({e.Message}): {InstallHint}", e);
        }
        using var kill = cancel.Register(() =>
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        });
        var output = new MemoryStream();
        var stdout = process.StandardOutput.BaseStream.CopyToAsync(output, cancel);
        var stderr = process.StandardError.ReadToEndAsync(cancel);
        var stdin = Task.Run(() =>
        {
            try
            {
                input?.CopyTo(process.StandardInput.BaseStream);
                process.StandardInput.Close();
            }
            // ffmpeg closes its input when it fails early; its exit code and message say why.
            catch (IOException) { }
        }, cancel);
        try
        {
            Task.WaitAll(stdout, stderr, stdin);
        }
        catch (AggregateException) when (cancel.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancel);
        }
        process.WaitForExit();
        cancel.ThrowIfCancellationRequested();
        return new FfmpegResult(process.ExitCode, output.ToArray(), stderr.Result);
    }

    private static readonly Dictionary<string, string?> Located = [];

    private static string? Locate(string program)
    {
        lock (Located)
        {
            if (Located.TryGetValue(program, out var known)) return known;
            var folders = new List<string>();
            if (Environment.GetEnvironmentVariable(FolderVariable) is { Length: > 0 } folder) folders.Add(folder);
            folders.AddRange((Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
            var found = folders.Select(f => Path.Combine(f, program)).FirstOrDefault(File.Exists);
            Located[program] = found;
            return found;
        }
    }

    /// <summary>A number as FFmpeg reads it: invariant culture, no exponent.</summary>
    public static string Number(double value) => value.ToString("0.######", System.Globalization.CultureInfo.InvariantCulture);

    internal static string Utf8(byte[] bytes) => Encoding.UTF8.GetString(bytes);
}
