using System.Text;

namespace SignTranslate.Data;

/// <summary>
/// Recovers the insertion order of a pickled dict's string keys. Razorvine.Pickle returns dicts as
/// <see cref="System.Collections.Hashtable"/>, which forgets the order, yet the reference iterates the labels dict in
/// insertion order (dataset index = position in the file). A pickled str key is written as its opcode, a length
/// prefix and the UTF-8 bytes, and a dict's keys are written in insertion order, so the first offset at which each
/// key's length-prefixed encoding occurs in the raw stream gives the order back.
/// </summary>
internal static class PickleKeyOrder
{
    private const byte ShortBinUnicode = 0x8c; // 1-byte length
    private const byte BinUnicode = (byte)'X'; // 4-byte little-endian length
    private const byte BinUnicode8 = 0x8d;     // 8-byte little-endian length

    /// <summary>The keys ordered by first occurrence in <paramref name="pickle"/>; keys never found go last, ordinal.</summary>
    public static IReadOnlyList<string> Order(ReadOnlySpan<byte> pickle, IReadOnlyCollection<string> keys)
    {
        var wanted = new Dictionary<string, long>(keys.Count, StringComparer.Ordinal);
        var maxLength = 0;
        foreach (var key in keys)
        {
            wanted[key] = long.MaxValue;
            maxLength = Math.Max(maxLength, Encoding.UTF8.GetByteCount(key));
        }
        var remaining = keys.Count;
        var lookup = wanted.GetAlternateLookup<ReadOnlySpan<char>>();
        var buffer = new char[maxLength + 1];

        for (var at = 0; at < pickle.Length && remaining > 0; at++)
        {
            int headerLength;
            long length;
            switch (pickle[at])
            {
                case ShortBinUnicode when at + 1 < pickle.Length:
                    headerLength = 2; length = pickle[at + 1]; break;
                case BinUnicode when at + 5 <= pickle.Length:
                    headerLength = 5; length = BitConverter.ToUInt32(pickle.Slice(at + 1, 4)); break;
                case BinUnicode8 when at + 9 <= pickle.Length:
                    headerLength = 9; length = (long)BitConverter.ToUInt64(pickle.Slice(at + 1, 8)); break;
                default:
                    continue;
            }
            if (length <= 0 || length > maxLength || at + headerLength + length > pickle.Length) continue;
            var bytes = pickle.Slice(at + headerLength, (int)length);
            if (!System.Text.Unicode.Utf8.IsValid(bytes)) continue;
            var count = Encoding.UTF8.GetChars(bytes, buffer);
            if (lookup.TryGetValue(buffer.AsSpan(0, count), out var actualKey, out var first) && first == long.MaxValue)
            {
                wanted[actualKey] = at;
                remaining--;
            }
        }
        return wanted.OrderBy(pair => pair.Value).ThenBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => pair.Key).ToList();
    }
}
