using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace SignTranslate.Data.Pose;

/// <summary>
/// Lists every global (a Python module attribute: a class or a function that unpickling would look up and may call)
/// that a pickle names, by walking its opcodes without running any of them. A keypoint pickle must name only numpy's
/// array and dtype rebuilders (docs/pose.md#formats); anything else, e.g. <c>os.system</c>, is refused before the
/// pickle is unpickled.
/// </summary>
/// <remarks>
/// Globals are named by GLOBAL and INST (the names follow the opcode as two text lines) and by STACK_GLOBAL (the names
/// are the two strings on top of the stack). For STACK_GLOBAL the walk keeps the two most recent stack pushes and the
/// memo's strings; where it cannot tell that both names are known strings, it reports the global as unknown, which the
/// caller refuses. Opcodes that resolve names elsewhere (the extension registry, persistent ids, out-of-band buffers)
/// and unknown opcodes are refused too, so nothing the walk cannot see can reach the unpickler.
/// </remarks>
internal static class PickleGlobalScan
{
    /// <summary>A global the pickle names; <see cref="Unknown"/> when its name could not be read statically.</summary>
    public readonly record struct Global(string Module, string Name)
    {
        public static readonly Global Unknown = new("?", "?");
        public override string ToString() => this == Unknown ? "a global whose name the scan cannot read" : $"{Module}.{Name}";
    }

    /// <summary>Every global named, in order; throws <see cref="FormatException"/> for a pickle the walk cannot follow.</summary>
    public static List<Global> Globals(ReadOnlySpan<byte> pickle)
    {
        var globals = new List<Global>();
        var memo = new Dictionary<long, string?>();
        string? below = null, top = null; // the two most recent pushes, when they are known strings
        var at = 0;
        while (true)
        {
            if (at >= pickle.Length) throw new FormatException("the pickle ends before its STOP opcode");
            var opcode = pickle[at++];
            string? pushed = null;
            switch (opcode)
            {
                case (byte)'.': return globals; // STOP
                case 0x80: Advance(pickle, ref at, 1); continue; // PROTO
                case 0x95: Advance(pickle, ref at, 8); continue; // FRAME: a size hint, the opcodes continue inside
                case 0x94: memo[memo.Count] = top; continue; // MEMOIZE
                case (byte)'p': memo[Index(Line(pickle, ref at))] = top; continue; // PUT
                case (byte)'q': memo[U8(pickle, ref at)] = top; continue; // BINPUT
                case (byte)'r': memo[U32(pickle, ref at)] = top; continue; // LONG_BINPUT
                case (byte)'g': pushed = memo.GetValueOrDefault(Index(Line(pickle, ref at))); break; // GET
                case (byte)'h': pushed = memo.GetValueOrDefault(U8(pickle, ref at)); break; // BINGET
                case (byte)'j': pushed = memo.GetValueOrDefault(U32(pickle, ref at)); break; // LONG_BINGET
                case (byte)'c' or (byte)'i': // GLOBAL, INST
                    var module = Line(pickle, ref at);
                    globals.Add(new Global(module, Line(pickle, ref at)));
                    break;
                case 0x93: // STACK_GLOBAL
                    globals.Add(below is not null && top is not null ? new Global(below, top) : Global.Unknown);
                    break;
                case 0x8c: pushed = Utf8(pickle, ref at, U8(pickle, ref at)); break; // SHORT_BINUNICODE
                case (byte)'X': pushed = Utf8(pickle, ref at, U32(pickle, ref at)); break; // BINUNICODE
                case 0x8d: pushed = Utf8(pickle, ref at, U64(pickle, ref at)); break; // BINUNICODE8
                case (byte)'C' or (byte)'U' or 0x8a: Advance(pickle, ref at, U8(pickle, ref at)); break; // SHORT_BINBYTES, SHORT_BINSTRING, LONG1
                case (byte)'B' or (byte)'T' or 0x8b: Advance(pickle, ref at, U32(pickle, ref at)); break; // BINBYTES, BINSTRING, LONG4
                case 0x8e or 0x96: Advance(pickle, ref at, U64(pickle, ref at)); break; // BINBYTES8, BYTEARRAY8
                case (byte)'F' or (byte)'I' or (byte)'L' or (byte)'S' or (byte)'V': Line(pickle, ref at); break; // text numbers and strings
                case (byte)'J': Advance(pickle, ref at, 4); break; // BININT
                case (byte)'K': Advance(pickle, ref at, 1); break; // BININT1
                case (byte)'M': Advance(pickle, ref at, 2); break; // BININT2
                case (byte)'G': Advance(pickle, ref at, 8); break; // BINFLOAT
                case (byte)'(' or (byte)'0' or (byte)'1' or (byte)'2' or (byte)'N' or (byte)'R' or (byte)'a' or (byte)'b' or (byte)'d'
                    or (byte)'}' or (byte)'e' or (byte)'l' or (byte)']' or (byte)'o' or (byte)'s' or (byte)'t' or (byte)')' or (byte)'u'
                    or 0x81 or 0x85 or 0x86 or 0x87 or 0x88 or 0x89 or 0x8f or 0x90 or 0x91 or 0x92 or 0x98:
                    break; // no argument
                case 0x82 or 0x83 or 0x84:
                    throw new FormatException("it names a global through the copyreg extension registry (EXT opcodes)");
                case (byte)'P' or (byte)'Q':
                    throw new FormatException("it uses persistent ids, which a keypoint pickle never holds");
                case 0x97:
                    throw new FormatException("it refers to out-of-band buffers (NEXT_BUFFER), which a file cannot carry");
                default:
                    throw new FormatException($"unknown pickle opcode 0x{opcode:x2} at byte {at - 1}");
            }
            // Every opcode that reaches here changes the stack; only a string push or a memo read of one is a known name.
            below = top;
            top = pushed;
        }
    }

    /// <summary>Moves past <paramref name="count"/> bytes, which must be there.</summary>
    private static void Advance(ReadOnlySpan<byte> pickle, ref int at, long count)
    {
        if (count < 0 || count > pickle.Length - at) throw new FormatException("the pickle ends inside an opcode's argument");
        at += (int)count;
    }

    private static byte U8(ReadOnlySpan<byte> pickle, ref int at)
    {
        Advance(pickle, ref at, 1);
        return pickle[at - 1];
    }

    private static uint U32(ReadOnlySpan<byte> pickle, ref int at)
    {
        Advance(pickle, ref at, 4);
        return BinaryPrimitives.ReadUInt32LittleEndian(pickle[(at - 4)..]);
    }

    private static long U64(ReadOnlySpan<byte> pickle, ref int at)
    {
        Advance(pickle, ref at, 8);
        var value = BinaryPrimitives.ReadUInt64LittleEndian(pickle[(at - 8)..]);
        return value > int.MaxValue ? -1 : (long)value; // -1: longer than any byte array, refused by Advance
    }

    private static string Utf8(ReadOnlySpan<byte> pickle, ref int at, long length)
    {
        var start = at;
        Advance(pickle, ref at, length);
        return Encoding.UTF8.GetString(pickle[start..at]);
    }

    private static string Line(ReadOnlySpan<byte> pickle, ref int at)
    {
        var end = pickle[at..].IndexOf((byte)'\n');
        if (end < 0) throw new FormatException("the pickle ends inside a text line");
        var line = Encoding.UTF8.GetString(pickle.Slice(at, end));
        at += end + 1;
        return line;
    }

    private static long Index(string text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : throw new FormatException($"bad memo index '{text}'");
}
