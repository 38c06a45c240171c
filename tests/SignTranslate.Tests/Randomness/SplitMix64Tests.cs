using SignTranslate.Randomness;

namespace SignTranslate.Tests.Randomness;

public class SplitMix64Tests
{
    [Fact]
    public void MatchesThePublishedSplitMix64Sequence()
    {
        // First outputs of splitmix64 seeded with 0 (Vigna's reference C implementation).
        var random = new SplitMix64(0);
        Assert.Equal(0xE220A8397B1DCDAFUL, random.NextUInt64());
        Assert.Equal(0x6E789E6AA1B965F4UL, random.NextUInt64());
        Assert.Equal(0x06C45D188009454FUL, random.NextUInt64());
    }

    [Fact]
    public void SkipAdvancesAsManyDrawsWould()
    {
        var (stepped, skipped) = (new SplitMix64(42), new SplitMix64(42));
        for (var i = 0; i < 1000; i++) stepped.NextUInt64();
        skipped.Skip(1000);
        Assert.Equal(stepped.NextUInt64(), skipped.NextUInt64());
        skipped.Skip(0);
        Assert.Equal(stepped.NextUInt64(), skipped.NextUInt64());
    }

    [Fact]
    public void NextIntStaysInRangeAndReachesBothEnds()
    {
        var random = new SplitMix64(42);
        var counts = new int[5];
        for (var i = 0; i < 5000; i++)
            counts[random.NextInt(3, 7) - 3]++;
        Assert.All(counts, c => Assert.InRange(c, 850, 1150));
    }

    [Fact]
    public void StreamsDependOnEveryKeyAndRepeatForTheSameKeys()
    {
        var a = SplitMix64.For(7, 1, 2).NextUInt64();
        Assert.Equal(a, SplitMix64.For(7, 1, 2).NextUInt64());
        Assert.NotEqual(a, SplitMix64.For(8, 1, 2).NextUInt64());
        Assert.NotEqual(a, SplitMix64.For(7, 2, 1).NextUInt64());
        Assert.NotEqual(a, SplitMix64.For(7, 1, 3).NextUInt64());
    }

    [Fact]
    public void NameKeysAreStableFnv1a()
    {
        // FNV-1a 64 of "a" is a published test vector.
        Assert.Equal(0xAF63DC4C8601EC8CUL, SplitMix64.Key("a"));
        Assert.NotEqual(SplitMix64.Key("train"), SplitMix64.Key("test"));
    }
}
