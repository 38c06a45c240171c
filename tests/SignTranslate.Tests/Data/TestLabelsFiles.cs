using System.Collections;
using System.IO.Compression;
using Razorvine.Pickle;

namespace SignTranslate.Tests.Data;

/// <summary>Writes small labels files (gzip pickle dicts) for tests, field by field, so tests can break the schema.</summary>
internal static class TestLabelsFiles
{
    public static Hashtable Sample(string name, string text, int length, string? gloss = "GLOSS", string framePattern = "{0}/images{1:D4}.png")
    {
        var paths = new ArrayList();
        for (var i = 1; i <= length; i++) paths.Add(string.Format(framePattern, name, i));
        return new Hashtable { ["name"] = name, ["gloss"] = gloss, ["text"] = text, ["length"] = length, ["imgs_path"] = paths };
    }

    public static void Write(string path, params Hashtable[] samples)
    {
        // Dictionary enumerates in insertion order, so the pickle keeps the order the samples are given in.
        var root = new Dictionary<object, object>();
        foreach (var sample in samples) root[(string)sample["name"]!] = sample;
        WriteObject(path, root);
    }

    public static void WriteObject(string path, object root)
    {
        using var pickler = new Pickler();
        var bytes = pickler.dumps(root);
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        gzip.Write(bytes);
    }
}
