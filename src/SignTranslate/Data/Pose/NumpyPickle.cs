using System.Buffers.Binary;
using Razorvine.Pickle;

namespace SignTranslate.Data.Pose;

/// <summary>
/// Unpickles numpy arrays as data (docs/pose.md#formats): the rebuilders numpy's pickles call, numpy 1 and 2 module
/// names, are answered by constructors that only record the array's shape, dtype and bytes. They are registered once,
/// in Razorvine's process-wide constructor table; they accept any state without checking it, so other pickle readers
/// that meet a numpy array (e.g. the numpy RNG state inside a training checkpoint) still load, and only
/// <see cref="ToFloats"/>, called by the keypoint reader, decides whether an array is usable.
/// </summary>
internal static class NumpyPickle
{
    /// <summary>The globals a keypoint pickle may name: numpy's array and dtype rebuilders, nothing that runs code.</summary>
    public static readonly IReadOnlySet<string> AllowedGlobals = new HashSet<string>(StringComparer.Ordinal)
    {
        "numpy.core.multiarray._reconstruct", "numpy._core.multiarray._reconstruct",
        "numpy.core.numeric._frombuffer", "numpy._core.numeric._frombuffer",
        "numpy.ndarray", "numpy.dtype",
    };

    static NumpyPickle()
    {
        foreach (var module in new[] { "numpy.core", "numpy._core" })
        {
            Unpickler.registerConstructor($"{module}.multiarray", "_reconstruct", new ReconstructConstructor());
            Unpickler.registerConstructor($"{module}.numeric", "_frombuffer", new FromBufferConstructor());
        }
        Unpickler.registerConstructor("numpy", "dtype", new DTypeConstructor());
    }

    /// <summary>Unpickles <paramref name="pickle"/>, which <see cref="PickleGlobalScan"/> has approved.</summary>
    public static object? Load(byte[] pickle)
    {
        using var unpickler = new Unpickler();
        return unpickler.loads(pickle);
    }

    /// <summary>The array's values as float32 in C order, or why it cannot be read as one.</summary>
    public static (float[]? Values, string? Problem) ToFloats(PickledArray array)
    {
        if (array.Dtype is not { } dtype || array.Shape is not { } shape || array.Data is not byte[] data)
            return (null, "a numpy array whose pickled state is not (shape, dtype, raw bytes)");
        var code = dtype.Code.TrimStart('<', '>', '=', '|');
        var size = code switch { "f4" => 4, "f8" => 8, _ => 0 };
        if (size == 0) return (null, $"dtype '{dtype.Code}', expected float32 or float64");
        var count = shape.Aggregate(1L, (a, b) => a * b);
        if (data.LongLength != count * size)
            return (null, $"{data.LongLength} bytes of data for shape [{string.Join(", ", shape)}] of {dtype.Code}");
        var bigEndian = dtype.ByteOrder == '>' || dtype.Code.StartsWith('>');
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            var bytes = data.AsSpan(i * size, size);
            values[i] = size == 4
                ? bigEndian ? BinaryPrimitives.ReadSingleBigEndian(bytes) : BinaryPrimitives.ReadSingleLittleEndian(bytes)
                : (float)(bigEndian ? BinaryPrimitives.ReadDoubleBigEndian(bytes) : BinaryPrimitives.ReadDoubleLittleEndian(bytes));
        }
        return (array.FortranOrder ? FortranToC(values, shape) : values, null);
    }

    /// <summary>Reorders a column-major array (numpy's order 'F') row-major.</summary>
    private static float[] FortranToC(float[] values, long[] shape)
    {
        var result = new float[values.Length];
        var index = new long[shape.Length];
        for (var c = 0; c < values.Length; c++)
        {
            long f = 0, stride = 1;
            for (var d = 0; d < shape.Length; d++)
            {
                f += index[d] * stride;
                stride *= shape[d];
            }
            result[c] = values[f];
            for (var d = shape.Length - 1; d >= 0 && ++index[d] == shape[d]; d--) index[d] = 0;
        }
        return result;
    }

    private static long[]? Shape(object? value) =>
        value is object[] items && items.All(i => i is int or long) ? items.Select(Convert.ToInt64).ToArray() : null;

    /// <summary>A pickled numpy array: what <c>_reconstruct</c> + BUILD or <c>_frombuffer</c> describe.</summary>
    public sealed class PickledArray
    {
        public long[]? Shape { get; private set; }
        public PickledDtype? Dtype { get; private set; }
        public bool FortranOrder { get; private set; }

        /// <summary>The raw bytes; another object for states this reader does not know (kept, not interpreted).</summary>
        public object? Data { get; private set; }

        public static PickledArray FromBuffer(object?[] args) => new()
        {
            Data = args.ElementAtOrDefault(0),
            Dtype = args.ElementAtOrDefault(1) as PickledDtype,
            Shape = NumpyPickle.Shape(args.ElementAtOrDefault(2)),
            FortranOrder = args.ElementAtOrDefault(3) is "F",
        };

        /// <summary>BUILD: <c>(version, shape, dtype, is_fortran, data)</c>, or the same without the version.</summary>
#pragma warning disable IDE1006 // Razorvine's BUILD calls the method by its Python name.
        public void __setstate__(object[] state)
        {
            var fields = state.Length == 5 ? state[1..] : state;
            Shape = NumpyPickle.Shape(fields.ElementAtOrDefault(0));
            Dtype = fields.ElementAtOrDefault(1) as PickledDtype;
            FortranOrder = fields.ElementAtOrDefault(2) is true;
            Data = fields.ElementAtOrDefault(3);
        }
#pragma warning restore IDE1006
    }

    /// <summary><c>numpy.dtype(code, align, copy)</c> with the byte order its BUILD state sets.</summary>
    public sealed class PickledDtype(string code)
    {
        public string Code { get; } = code;
        public char ByteOrder { get; private set; } = '|';

#pragma warning disable IDE1006 // Razorvine's BUILD calls the method by its Python name.
        public void __setstate__(object[] state)
#pragma warning restore IDE1006
        {
            if (state.ElementAtOrDefault(1) is string { Length: 1 } order) ByteOrder = order[0];
        }

        public override string ToString() => Code;
    }

    private sealed class ReconstructConstructor : IObjectConstructor
    {
        public object construct(object[] args) => new PickledArray();
    }

    private sealed class FromBufferConstructor : IObjectConstructor
    {
        public object construct(object[] args) => PickledArray.FromBuffer(args);
    }

    private sealed class DTypeConstructor : IObjectConstructor
    {
        public object construct(object[] args) => new PickledDtype(args.ElementAtOrDefault(0) as string ?? "?");
    }
}
