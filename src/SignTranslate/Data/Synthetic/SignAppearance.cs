namespace SignTranslate.Data.Synthetic;

/// <summary>Where on the body a sign is made.</summary>
public enum BodyLocation { Forehead, Chin, Chest, Belly, NeutralSpace }

/// <summary>How the dominant hand moves during a sign.</summary>
public enum MotionPath { Hold, Line, Circle, Arc, Zigzag, Tap }

/// <summary>What the non-dominant hand does during a sign.</summary>
public enum SecondHandRole { Rest, Mirror, Parallel, Base }

/// <summary>The drawn shape of a hand (stands in for a hand shape).</summary>
public enum HandShape { Disc, Square, Ring, Diamond }

/// <summary>
/// The visual form of one sign: a two-hand motion at a body location. Colours index
/// <see cref="SignAppearance.HandColours"/>; <see cref="DirectionIndex"/> turns the path in steps of 45°.
/// </summary>
public sealed record SignAppearance(
    BodyLocation Location,
    MotionPath Path,
    int DirectionIndex,
    HandShape DominantShape,
    int DominantColour,
    SecondHandRole SecondHand,
    HandShape SecondShape,
    int SecondColour,
    int NaturalFrames)
{
    /// <summary>Saturated hand colours, far from the skin, clothing and background colours.</summary>
    public static IReadOnlyList<(byte R, byte G, byte B)> HandColours { get; } =
    [
        (230, 40, 40), (40, 200, 60), (50, 90, 240), (240, 220, 40), (220, 50, 220), (40, 220, 220),
    ];

    public const int Directions = 8;

    /// <summary>How many of the main features (location, path, direction, dominant colour, second hand) differ.</summary>
    public int Distance(SignAppearance other) =>
        (Location != other.Location ? 1 : 0) + (Path != other.Path ? 1 : 0) + (DirectionIndex != other.DirectionIndex ? 1 : 0)
        + (DominantColour != other.DominantColour ? 1 : 0) + (SecondHand != other.SecondHand ? 1 : 0)
        + (DominantShape != other.DominantShape ? 1 : 0);
}
