using System.IO.Compression;
using SignTranslate.Data;
using SignTranslate.Data.Video;

namespace SignTranslate.Cli.Serve;

/// <summary>
/// An upload saved into its own temporary folder, which <see cref="Dispose"/> deletes. The upload is treated as data
/// only: its file name is never used as a path (only its extension is kept), a zip's entries are flattened to their
/// file names and only PNG/JPEG frames are extracted, and sizes, frame counts and durations are checked before the
/// expensive work. Every problem is an <see cref="InputException"/>: one message for the page, a 4xx status.
/// </summary>
public sealed class UploadedClip : IDisposable
{
    private readonly string _folder;

    private UploadedClip(string folder, SignSample sample)
    {
        _folder = folder;
        Sample = sample;
    }

    public SignSample Sample { get; }

    public static async Task<UploadedClip> SaveAsync(string fileName, Stream content, ServeOptions options, CancellationToken cancel)
    {
        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        var isZip = extension == ".zip";
        if (!isZip && !MediaFiles.IsVideo(fileName))
            throw new InputException($"'{Path.GetFileName(fileName)}' is neither a video file ({string.Join(", ", MediaFiles.VideoExtensions)}) nor a .zip of PNG/JPEG frames");
        var folder = Directory.CreateTempSubdirectory("slt-serve-").FullName;
        try
        {
            var upload = Path.Combine(folder, "upload" + extension);
            await using (var file = File.Create(upload))
                await CopyLimitedAsync(content, file, options.MaxUploadBytes, cancel);
            var sample = isZip ? ExtractFrames(upload, Path.Combine(folder, "frames"), options) : CheckVideo(upload, options, cancel);
            return new UploadedClip(folder, sample);
        }
        catch
        {
            TryDelete(folder);
            throw;
        }
    }

    private static async Task CopyLimitedAsync(Stream from, Stream to, long limit, CancellationToken cancel)
    {
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await from.ReadAsync(buffer, cancel)) > 0)
        {
            total += read;
            if (total > limit) throw new UploadTooLargeException($"the upload is larger than the limit of {limit / (1024 * 1024)} MiB (slt serve --max-upload-mb)");
            await to.WriteAsync(buffer.AsMemory(0, read), cancel);
        }
        if (total == 0) throw new InputException("the upload is empty");
    }

    private static SignSample CheckVideo(string path, ServeOptions options, CancellationToken cancel)
    {
        VideoInfo info;
        try { info = VideoInfo.Probe(path, cancel); }
        catch (VideoFileException e) { throw new InputException($"the uploaded video cannot be read: {e.Problem}"); }
        if (info.DurationSeconds > options.MaxSeconds)
            throw new InputException($"the video lasts {info.DurationSeconds:0.#} s, longer than the limit of {options.MaxSeconds:0.#} s (slt serve --max-seconds)");
        return new SignSample { Id = "upload", Text = "", FrameCount = 0, VideoFile = path };
    }

    private static SignSample ExtractFrames(string zipPath, string folder, ServeOptions options)
    {
        Directory.CreateDirectory(folder);
        try
        {
            using var zip = ZipFile.OpenRead(zipPath);
            var entries = zip.Entries
                .Where(e => e.Length > 0 && MediaFiles.IsFrame(e.Name))
                .OrderBy(e => e.FullName, StringComparer.Ordinal).ToList();
            if (entries.Count == 0) throw new InputException("the zip holds no PNG or JPEG frames");
            if (entries.Count > options.MaxZipFrames)
                throw new InputException($"the zip holds {entries.Count} frames, more than the limit of {options.MaxZipFrames}");
            // Declared sizes guard against zip bombs before anything is inflated.
            var declared = entries.Sum(e => e.Length);
            if (declared > 4 * options.MaxUploadBytes)
                throw new InputException($"the zip's frames inflate to {declared / (1024 * 1024)} MiB, more than 4x the upload limit");
            var paths = new List<string>(entries.Count);
            for (var i = 0; i < entries.Count; i++)
            {
                // Entries are numbered in name order: names inside the zip never become paths.
                var path = Path.Combine(folder, $"{i:D6}{Path.GetExtension(entries[i].Name).ToLowerInvariant()}");
                entries[i].ExtractToFile(path);
                paths.Add(path);
            }
            return new SignSample { Id = "upload", Text = "", FrameCount = paths.Count, FramePaths = paths };
        }
        catch (InvalidDataException e)
        {
            throw new InputException($"the upload is not a readable zip file: {e.Message}");
        }
    }

    private static void TryDelete(string folder)
    {
        try { Directory.Delete(folder, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    public void Dispose() => TryDelete(_folder);
}

/// <summary>The upload is over the size limit: answered with 413.</summary>
public sealed class UploadTooLargeException(string message) : InputException(message);
