using SignTranslate.Randomness;

namespace SignTranslate.Data.Synthetic;

/// <summary>
/// The random stream of one video's rendering and its layout: per frame, <see cref="JitterDraws"/> draws of hand
/// wobble (<see cref="HandTrack"/>) and then the pixel noise (<see cref="NoiseDraws"/>). The hand track and the
/// renderer each read their part and step over the other's, so the hand positions are computed in one place while
/// the pixels stay what they always were.
/// </summary>
internal static class RenderStream
{
    public const ulong JitterDraws = 4;

    public static SplitMix64 Open(SyntheticOptions options, VideoPlan plan) =>
        SplitMix64.For(options.Seed, SplitMix64.Key("render"), plan.RenderKey);

    /// <summary>Draws of one frame's pixel noise: one 64-bit number per four channel values, none without noise.</summary>
    public static ulong NoiseDraws(SyntheticOptions options) =>
        options.PixelNoise > 0 ? ((ulong)(3 * options.FrameWidth * options.FrameHeight) + 3) / 4 : 0;
}
