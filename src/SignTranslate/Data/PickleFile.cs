using System.IO.Compression;
using Razorvine.Pickle;
using SignTranslate.Files;

namespace SignTranslate.Data;

/// <summary>Reads a Python pickle file, gzip-compressed (labels files) or not (the CSL-Daily annotation file).</summary>
internal static class PickleFile
{
    /// <summary>The unpickled root object and the raw pickle bytes (for <see cref="PickleKeyOrder"/>).</summary>
    public static (object? Root, byte[] Pickle) Load(string path)
    {
        if (!File.Exists(path))
            throw new DataFormatException(path, null, null, "file not found");
        byte[] pickle;
        try
        {
            var bytes = UserFiles.ReadAllBytes(path);
            pickle = bytes is [0x1f, 0x8b, ..] ? Gunzip(bytes) : bytes;
        }
        catch (InvalidDataException e)
        {
            throw new DataFormatException(path, null, null, $"corrupt gzip file ({e.Message})");
        }
        try
        {
            using var unpickler = new Unpickler();
            return (unpickler.loads(pickle), pickle);
        }
        catch (Exception e) when (e is PickleException or IOException or InvalidCastException or ArgumentException or IndexOutOfRangeException)
        {
            throw new DataFormatException(path, null, null, $"not a readable pickle ({e.Message})");
        }
    }

    private static byte[] Gunzip(byte[] compressed)
    {
        using var gzip = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
        using var raw = new MemoryStream(compressed.Length * 8);
        gzip.CopyTo(raw);
        return raw.ToArray();
    }

    public static string PythonType(object? value) => value switch
    {
        null => "None",
        string => "str",
        bool => "bool",
        int or long or System.Numerics.BigInteger => "int",
        double => "float",
        System.Collections.Hashtable => "dict",
        System.Collections.IList => "list",
        _ => value.GetType().Name,
    };
}
