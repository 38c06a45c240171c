using SignTranslate.Randomness;

namespace SignTranslate.Data.Synthetic;

/// <summary>How one video looks apart from the signs: the signer's colours, build, tempo and framing.</summary>
public sealed record SignerStyle(
    int Signer,
    (byte R, byte G, byte B) Background,
    (byte R, byte G, byte B) Clothing,
    (byte R, byte G, byte B) Skin,
    double Size,
    double OffsetX,
    double OffsetY,
    double Speed)
{
    private static readonly (byte R, byte G, byte B)[] SkinTones =
    [
        (241, 194, 160), (224, 172, 130), (198, 134, 96), (160, 105, 70), (120, 80, 55), (232, 190, 172),
    ];

    /// <summary>Signer <paramref name="signer"/>'s own look, then this video's variation of it.</summary>
    public static SignerStyle Draw(int signer, SplitMix64 videoRandom, SyntheticOptions options)
    {
        var person = SplitMix64.For(options.Seed, SplitMix64.Key("signer"), (ulong)signer);
        var background = (Channel(person, 150, 215), Channel(person, 150, 215), Channel(person, 150, 215));
        var clothing = (Channel(person, 15, 90), Channel(person, 15, 90), Channel(person, 15, 90));
        var skin = SkinTones[person.NextInt(0, SkinTones.Length - 1)];
        var halfSize = options.SizeVariation / 2;
        var halfSpeed = options.SpeedVariation / 2;
        var personSize = person.Uniform(1 - halfSize, 1 + halfSize);
        var personSpeed = person.Uniform(1 - halfSpeed, 1 + halfSpeed);

        var tint = options.BackgroundTintVariation;
        return new SignerStyle(
            signer,
            (Shift(background.Item1, videoRandom, tint), Shift(background.Item2, videoRandom, tint), Shift(background.Item3, videoRandom, tint)),
            clothing,
            skin,
            Size: personSize * videoRandom.Uniform(1 - halfSize, 1 + halfSize),
            OffsetX: videoRandom.Uniform(-options.PositionJitter, options.PositionJitter),
            OffsetY: videoRandom.Uniform(-options.PositionJitter, options.PositionJitter),
            Speed: personSpeed * videoRandom.Uniform(1 - halfSpeed, 1 + halfSpeed));
    }

    private static byte Channel(SplitMix64 random, int min, int max) => (byte)random.NextInt(min, max);

    private static byte Shift(byte value, SplitMix64 random, int range) => (byte)Math.Clamp(value + random.NextInt(-range, range), 0, 255);
}
