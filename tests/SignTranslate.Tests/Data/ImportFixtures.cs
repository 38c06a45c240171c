using SignTranslate.Data.Video;

namespace SignTranslate.Tests.Data;

/// <summary>Tiny corpora in the downloaded formats (How2Sign, OpenASL), written by the tests that import them.</summary>
public static class ImportFixtures
{
    public const string How2SignHeader = "VIDEO_ID\tVIDEO_NAME\tSENTENCE_ID\tSENTENCE_NAME\tSTART_REALIGNED\tEND_REALIGNED\tSENTENCE";

    /// <summary>The sentences of the How2Sign sample: one per split, sharing words so dev and test have no unknown words.</summary>
    public static readonly (string Split, string Sentence, string Text)[] How2SignRows =
    [
        ("train", "abc123-1-rgb_front", "we hold the rope and pull"),
        ("val", "def456-2-rgb_front", "we pull the rope"),
        ("test", "ghi789-3-rgb_front", "hold the rope"),
    ];

    /// <summary>
    /// How2Sign's layout under <paramref name="root"/>: how2sign_realigned_{train,val,test}.csv (tab-separated, the
    /// exact columns) and {split}_rgb_front_clips/raw_videos/SENTENCE_NAME.mp4, 24 frames of 16×16 at 24 fps each.
    /// </summary>
    public static void WriteHow2Sign(string root, Func<string, string>? editCsv = null)
    {
        var index = 0;
        foreach (var (split, sentence, text) in How2SignRows)
        {
            var video = sentence[..sentence.IndexOf('-')];
            var csv = $"{How2SignHeader}\n{video}\t{video}-rgb_front\t{video}_{index}\t{sentence}\t1.5\t3.25\t{text}\n";
            File.WriteAllText(Path.Combine(root, $"how2sign_realigned_{split}.csv"), editCsv is null ? csv : editCsv(csv));
            var clips = Path.Combine(root, $"{split}_rgb_front_clips", "raw_videos");
            Directory.CreateDirectory(clips);
            WriteClip(Path.Combine(clips, sentence + ".mp4"), index++, 24); // TemporalConv (two unpadded k5 convs, two pools) needs ≥ 14 frames
        }
    }

    /// <summary>A short H.264 clip of plain frames whose colour depends on <paramref name="seed"/>.</summary>
    public static void WriteClip(string path, int seed, int frames, int size = 16, double fps = 24)
    {
        var rgb = new byte[frames * size * size * 3];
        for (var f = 0; f < frames; f++)
            for (var p = 0; p < size * size; p++)
            {
                var o = (f * size * size + p) * 3;
                rgb[o] = (byte)(40 * seed + 10 * f);
                rgb[o + 1] = (byte)(200 - 50 * seed);
                rgb[o + 2] = (byte)(p % size * 8);
            }
        VideoFileEncoder.Encode(path, rgb, size, size, fps);
    }

    public const string OpenAslHeader = "vid\tyid\tstart\tend\traw-text\ttokenized-text\tgloss\tsplit";
}
