namespace SignTranslate.Data.Synthetic;

/// <summary>One hand in one frame: its centre in signer coordinates and how it is drawn.</summary>
public readonly record struct HandPose(double X, double Y, HandShape Shape, (byte R, byte G, byte B) Colour);

/// <summary>Both hands in one frame; the dominant one is the signer's right hand (<see cref="SignerBody.DominantRest"/>).</summary>
public readonly record struct FrameHands(HandPose Dominant, HandPose Second);

/// <summary>
/// Where the hands are in every frame of a video, per-frame wobble included: the one computation both the renderer
/// (pixels) and <see cref="SyntheticPose"/> (keypoints) use. Inside a gloss span the hands follow the sign's motion,
/// between spans they move from one sign to the next along an eased path.
/// </summary>
public sealed class HandTrack
{
    private const double MotionAmplitude = 0.11;

    private readonly SyntheticOptions _options;
    private readonly SignLexicon _lexicon;

    public HandTrack(SyntheticOptions options, SignLexicon lexicon)
    {
        _options = options;
        _lexicon = lexicon;
    }

    /// <summary>The hands of every frame of <paramref name="plan"/>, wobble drawn from the video's render stream.</summary>
    public FrameHands[] Frames(VideoPlan plan)
    {
        var random = RenderStream.Open(_options, plan);
        var noiseDraws = RenderStream.NoiseDraws(_options);
        var jitter = _options.HandJitter;
        var frames = new FrameHands[plan.FrameCount];
        for (var frame = 0; frame < plan.FrameCount; frame++)
        {
            var (dominant, second) = HandsAt(plan, frame);
            // RenderStream.JitterDraws draws, in this order.
            dominant = dominant with { X = dominant.X + random.Uniform(-jitter, jitter), Y = dominant.Y + random.Uniform(-jitter, jitter) };
            second = second with { X = second.X + random.Uniform(-jitter, jitter), Y = second.Y + random.Uniform(-jitter, jitter) };
            frames[frame] = new FrameHands(dominant, second);
            random.Skip(noiseDraws);
        }
        return frames;
    }

    /// <summary>Hand poses at a frame before wobble: inside a span the sign's motion, between spans an eased interpolation.</summary>
    private (HandPose Dominant, HandPose Second) HandsAt(VideoPlan plan, int frame)
    {
        var spans = plan.Spans;
        var next = 0;
        while (next < spans.Count && spans[next].End <= frame) next++;
        if (next < spans.Count && spans[next].Start <= frame)
        {
            var span = spans[next];
            return Pose(_lexicon[span.Gloss], (frame - span.Start + 0.5) / (span.End - span.Start), plan.Signer);
        }

        var from = next > 0 ? Pose(_lexicon[spans[next - 1].Gloss], 1, plan.Signer) : RestPose(plan.Signer);
        var to = next < spans.Count ? Pose(_lexicon[spans[next].Gloss], 0, plan.Signer) : RestPose(plan.Signer);
        var gapStart = next > 0 ? spans[next - 1].End : 0;
        var gapEnd = next < spans.Count ? spans[next].Start : plan.FrameCount;
        var t = (frame - gapStart + 0.5) / (gapEnd - gapStart);
        var eased = t * t * (3 - 2 * t);
        return (Blend(from.Dominant, to.Dominant, eased), Blend(from.Second, to.Second, eased));
    }

    private static HandPose Blend(HandPose from, HandPose to, double t) =>
        new(from.X + (to.X - from.X) * t, from.Y + (to.Y - from.Y) * t, t < 0.5 ? from.Shape : to.Shape, t < 0.5 ? from.Colour : to.Colour);

    private static (HandPose Dominant, HandPose Second) RestPose(SignerStyle style) =>
        (new HandPose(SignerBody.DominantRest.X, SignerBody.DominantRest.Y, HandShape.Disc, style.Skin),
         new HandPose(SignerBody.SecondRest.X, SignerBody.SecondRest.Y, HandShape.Disc, style.Skin));

    /// <summary>Hand poses of <paramref name="sign"/> at progress <paramref name="u"/> in [0, 1].</summary>
    private static (HandPose Dominant, HandPose Second) Pose(SignAppearance sign, double u, SignerStyle style)
    {
        var (anchorX, anchorY) = sign.Location switch
        {
            BodyLocation.Forehead => (0.5, 0.14),
            BodyLocation.Chin => (0.5, 0.31),
            BodyLocation.Chest => (0.5, 0.5),
            BodyLocation.Belly => (0.5, 0.7),
            _ => (0.5, 0.6),
        };
        var spread = sign.Location == BodyLocation.NeutralSpace ? 0.17 : 0.1;
        var oneHanded = sign.SecondHand is SecondHandRole.Rest or SecondHandRole.Base;
        var baseX = anchorX - (oneHanded ? 0.04 : spread);
        var (dx, dy) = Motion(sign.Path, sign.DirectionIndex, u);
        var colours = SignAppearance.HandColours;
        var dominant = new HandPose(baseX + dx, anchorY + dy, sign.DominantShape, colours[sign.DominantColour]);

        var secondLook = (sign.SecondShape, colours[sign.SecondColour]);
        var second = sign.SecondHand switch
        {
            SecondHandRole.Mirror => new HandPose(1 - baseX - dx, anchorY + dy, secondLook.SecondShape, secondLook.Item2),
            SecondHandRole.Parallel => new HandPose(1 - baseX + dx, anchorY + dy, secondLook.SecondShape, secondLook.Item2),
            SecondHandRole.Base => new HandPose(anchorX + 0.09, anchorY + 0.08, secondLook.SecondShape, secondLook.Item2),
            _ => new HandPose(SignerBody.SecondRest.X, SignerBody.SecondRest.Y, HandShape.Disc, style.Skin),
        };
        return (dominant, second);
    }

    private static (double X, double Y) Motion(MotionPath path, int directionIndex, double u)
    {
        var angle = directionIndex * Math.PI / 4;
        var (cx, cy) = (Math.Cos(angle), Math.Sin(angle));
        const double a = MotionAmplitude;
        switch (path)
        {
            case MotionPath.Hold:
                return (0, 0.02 * Math.Sin(4 * Math.PI * u));
            case MotionPath.Line:
                return (a * (2 * u - 1) * cx, a * (2 * u - 1) * cy);
            case MotionPath.Circle:
            {
                var turn = directionIndex % 2 == 0 ? 1 : -1;
                var phase = angle + turn * 2 * Math.PI * u;
                return (0.8 * a * Math.Cos(phase), 0.8 * a * Math.Sin(phase));
            }
            case MotionPath.Arc:
            {
                var phase = angle + Math.PI * u;
                return (a * Math.Cos(phase), a * Math.Sin(phase));
            }
            case MotionPath.Zigzag:
            {
                var along = a * (2 * u - 1);
                var across = 0.05 * Math.Sin(6 * Math.PI * u);
                return (along * cx - across * cy, along * cy + across * cx);
            }
            default: // Tap: two strokes towards the body location and back
            {
                var reach = a * Math.Abs(Math.Sin(2 * Math.PI * u));
                return (reach * cx, reach * cy);
            }
        }
    }
}
