using SignTranslate.Files;

namespace SignTranslate.Data;

/// <summary>
/// Reads the official Phoenix-2014T corpus files (<c>PHOENIX-2014-T.{train,dev,test}.corpus.csv</c>):
/// a header <c>name|video|start|end|speaker|orth|translation</c>, then one '|'-separated line per video. Frames are
/// the PNG files of <c>&lt;image root&gt;/&lt;split&gt;/&lt;name&gt;/</c> in ordinal order (the image root is the
/// corpus' <c>features/fullFrame-210x260px</c>). Sample ids are <c>&lt;split&gt;/&lt;name&gt;</c>, as in the labels
/// files, so both readers name the same video alike. A video whose frame folder is absent gets no frames; the data
/// checker reports it.
/// </summary>
public static class PhoenixCorpusReader
{
    private static readonly string[] Header = ["name", "video", "start", "end", "speaker", "orth", "translation"];

    public static IReadOnlyList<SignSample> Read(string csvPath, string imageRoot, Split split)
    {
        if (!File.Exists(csvPath))
            throw new DataFormatException(csvPath, null, null, "file not found");
        var splitName = split.ToString().ToLowerInvariant();
        var samples = new List<SignSample>();
        using var reader = new StreamReader(UserFiles.OpenRead(csvPath, "corpus file"));
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0) continue;
            var fields = line.Split('|');
            if (lineNumber == 1)
            {
                if (!fields.SequenceEqual(Header))
                    throw new DataFormatException(csvPath, 1, null, $"expected the header '{string.Join('|', Header)}'");
                continue;
            }
            if (fields.Length != Header.Length)
                throw new DataFormatException(csvPath, lineNumber, null,
                    $"expected {Header.Length} '|'-separated fields ({string.Join('|', Header)}), found {fields.Length}");
            var name = fields[0];
            if (name.Length == 0)
                throw new DataFormatException(csvPath, lineNumber, "name", "empty");
            // The name is a folder under <image root>/<split>/: it must not climb out of it.
            if (PathsFromData.Problem(name, singleSegment: true) is { } problem)
                throw new DataFormatException(csvPath, lineNumber, "name", $"'{name}' {problem}; it names the video's frame folder");

            var frameFolder = Path.Combine(imageRoot, splitName, name);
            var framePaths = Directory.Exists(frameFolder)
                ? Directory.GetFiles(frameFolder, "*.png").Select(Path.GetFileName).Order(StringComparer.Ordinal)
                    .Select(file => $"{splitName}/{name}/{file}").ToArray()
                : [];
            samples.Add(new SignSample
            {
                Id = $"{splitName}/{name}",
                Text = fields[6],
                Gloss = fields[5],
                FrameCount = framePaths.Length,
                FramePaths = framePaths,
            });
        }
        return samples;
    }
}
