using SignTranslate.Data.Video;

namespace SignTranslate.Tests.Data.Video;

/// <summary>Small video files for tests, written with FFmpeg (which the README's test command installs).</summary>
public static class TestVideos
{
    /// <summary>The colour of frame <paramref name="k"/>: its red channel counts frames in steps of 5.</summary>
    public static (byte R, byte G, byte B) Colour(int k) => ((byte)(5 * k % 250), 128, (byte)(200 - k % 50));

    /// <summary>
    /// Writes <paramref name="frames"/> solid-colour frames (<see cref="Colour"/>) of <paramref name="width"/> ×
    /// <paramref name="height"/> at <paramref name="fps"/> frames per second.
    /// </summary>
    public static string Write(string path, int frames = 50, int width = 32, int height = 24, double fps = 25)
    {
        var rgb = new byte[frames * width * height * 3];
        for (var k = 0; k < frames; k++)
        {
            var (r, g, b) = Colour(k);
            for (var p = 0; p < width * height; p++)
            {
                var at = (k * width * height + p) * 3;
                (rgb[at], rgb[at + 1], rgb[at + 2]) = (r, g, b);
            }
        }
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        VideoFileEncoder.Encode(path, rgb, width, height, fps);
        return path;
    }

    /// <summary>A file with a one-second sine tone and no video stream.</summary>
    public static string WriteAudioOnly(string path)
    {
        var result = Ffmpeg.Run("ffmpeg", ["-v", "error", "-y", "-f", "lavfi", "-i", "sine=frequency=440:duration=1", path]);
        Assert.True(result.ExitCode == 0, result.Errors);
        return path;
    }

    /// <summary>The first <paramref name="fraction"/> of a video file, as a download cut short leaves it.</summary>
    public static string WriteTruncated(string source, string path, double fraction = 0.5)
    {
        var bytes = File.ReadAllBytes(source);
        File.WriteAllBytes(path, bytes[..(int)(bytes.Length * fraction)]);
        return path;
    }
}
