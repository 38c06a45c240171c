using System.Text;

namespace SignTranslate.Randomness;

/// <summary>
/// SplitMix64 (Steele, Lea and Flood, 2014): a tiny generator whose output is fixed by its published algorithm,
/// unlike <see cref="System.Random"/>, so the synthetic data and the bootstrap resamples are the same on every
/// runtime. Independent streams for (seed, split, sample, purpose) are derived by <see cref="For(long, ulong[])"/>,
/// which allows random access: sample 917 can be rendered without generating samples 0..916. It sits in the lowest
/// layer (docs/architecture.md) so that any layer can draw reproducible numbers without reaching into another's code.
/// </summary>
public sealed class SplitMix64
{
    private ulong _state;

    public SplitMix64(ulong seed) => _state = seed;

    /// <summary>A generator for the stream named by <paramref name="keys"/> under <paramref name="seed"/>.</summary>
    public static SplitMix64 For(long seed, params ulong[] keys)
    {
        var state = Finalize((ulong)seed ^ 0x5851F42D4C957F2DUL);
        foreach (var key in keys)
            state = Finalize(state ^ Finalize(key + 0x9E3779B97F4A7C15UL));
        return new SplitMix64(state);
    }

    /// <summary>FNV-1a of the UTF-8 bytes: a stable key for a name (string.GetHashCode is randomised per process).</summary>
    public static ulong Key(string name)
    {
        var hash = 0xCBF29CE484222325UL;
        foreach (var b in Encoding.UTF8.GetBytes(name))
            hash = (hash ^ b) * 0x100000001B3UL;
        return hash;
    }

    public ulong NextUInt64()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Finalize(_state);
    }

    /// <summary>
    /// Advances the stream as <paramref name="draws"/> calls of <see cref="NextUInt64"/> would, in constant time (the
    /// state is a counter), so a consumer can step over draws another consumer of the same stream makes.
    /// </summary>
    public void Skip(ulong draws) => _state = unchecked(_state + draws * 0x9E3779B97F4A7C15UL);

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer in [<paramref name="min"/>, <paramref name="max"/>] (both inclusive).</summary>
    public int NextInt(int min, int max)
    {
        if (max < min) throw new ArgumentOutOfRangeException(nameof(max), $"max {max} < min {min}");
        // Multiply-shift keeps the bias below 2^-32 without a rejection loop.
        var span = (ulong)(max - min) + 1;
        return min + (int)(((NextUInt64() >> 32) * span) >> 32);
    }

    /// <summary>Uniform in [<paramref name="min"/>, <paramref name="max"/>).</summary>
    public double Uniform(double min, double max) => min + (max - min) * NextDouble();

    public bool Chance(double probability) => NextDouble() < probability;

    public T Pick<T>(IReadOnlyList<T> items) => items[NextInt(0, items.Count - 1)];

    private static ulong Finalize(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
