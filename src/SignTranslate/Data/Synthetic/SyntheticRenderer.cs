using SignTranslate.Randomness;

namespace SignTranslate.Data.Synthetic;

/// <summary>
/// Draws a <see cref="VideoPlan"/> into raw RGB bytes laid out [T, 3, H, W] (the layout of a uint8 video tensor).
/// Geometry lives in signer coordinates (x right, y down, the signer's body spanning [0, 1]); the signer's size and
/// offset map them into the frame. A frame is background, torso, head, then the two hands, then pixel noise.
/// </summary>
public sealed class SyntheticRenderer
{
    private readonly SyntheticOptions _options;
    private readonly SignLexicon _lexicon;

    private const double HeadX = 0.5, HeadY = 0.2, HeadRadius = 0.11;
    private const double TorsoLeft = 0.27, TorsoRight = 0.73, TorsoTop = 0.36;
    private const double HandRadius = 0.085, MotionAmplitude = 0.11;
    private static readonly (double X, double Y) DominantRest = (0.30, 0.93), SecondRest = (0.70, 0.93);

    public SyntheticRenderer(SyntheticOptions options, SignLexicon lexicon)
    {
        _options = options;
        _lexicon = lexicon;
    }

    public int FrameBytes => 3 * _options.FrameWidth * _options.FrameHeight;

    public byte[] Render(VideoPlan plan)
    {
        var video = new byte[plan.FrameCount * FrameBytes];
        var random = SplitMix64.For(_options.Seed, SplitMix64.Key("render"), plan.RenderKey);
        for (var frame = 0; frame < plan.FrameCount; frame++)
            RenderFrame(plan, frame, video.AsSpan(frame * FrameBytes, FrameBytes), random);
        return video;
    }

    private readonly record struct Hand(double X, double Y, HandShape Shape, (byte R, byte G, byte B) Colour);

    private void RenderFrame(VideoPlan plan, int frame, Span<byte> chw, SplitMix64 random)
    {
        var style = plan.Signer;
        var (dominant, second) = HandsAt(plan, frame);
        var jitter = _options.HandJitter;
        dominant = dominant with { X = dominant.X + random.Uniform(-jitter, jitter), Y = dominant.Y + random.Uniform(-jitter, jitter) };
        second = second with { X = second.X + random.Uniform(-jitter, jitter), Y = second.Y + random.Uniform(-jitter, jitter) };

        var canvas = new Canvas(chw, _options.FrameWidth, _options.FrameHeight, style);
        canvas.Fill(style.Background);
        canvas.Rectangle(TorsoLeft, TorsoTop, TorsoRight, 1.2, style.Clothing);
        canvas.Shape(HeadX, HeadY, HeadRadius, HandShape.Disc, style.Skin);
        canvas.Shape(second.X, second.Y, HandRadius, second.Shape, second.Colour);
        canvas.Shape(dominant.X, dominant.Y, HandRadius, dominant.Shape, dominant.Colour);
        if (_options.PixelNoise > 0) canvas.AddNoise(_options.PixelNoise, random);
    }

    /// <summary>Hand poses at a frame: inside a span the sign's motion, between spans an eased interpolation.</summary>
    private (Hand Dominant, Hand Second) HandsAt(VideoPlan plan, int frame)
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

    private static Hand Blend(Hand from, Hand to, double t) =>
        new(from.X + (to.X - from.X) * t, from.Y + (to.Y - from.Y) * t, t < 0.5 ? from.Shape : to.Shape, t < 0.5 ? from.Colour : to.Colour);

    private static (Hand Dominant, Hand Second) RestPose(SignerStyle style) =>
        (new Hand(DominantRest.X, DominantRest.Y, HandShape.Disc, style.Skin), new Hand(SecondRest.X, SecondRest.Y, HandShape.Disc, style.Skin));

    /// <summary>Hand poses of <paramref name="sign"/> at progress <paramref name="u"/> in [0, 1].</summary>
    private static (Hand Dominant, Hand Second) Pose(SignAppearance sign, double u, SignerStyle style)
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
        var dominant = new Hand(baseX + dx, anchorY + dy, sign.DominantShape, colours[sign.DominantColour]);

        var secondLook = (sign.SecondShape, colours[sign.SecondColour]);
        var second = sign.SecondHand switch
        {
            SecondHandRole.Mirror => new Hand(1 - baseX - dx, anchorY + dy, secondLook.SecondShape, secondLook.Item2),
            SecondHandRole.Parallel => new Hand(1 - baseX + dx, anchorY + dy, secondLook.SecondShape, secondLook.Item2),
            SecondHandRole.Base => new Hand(anchorX + 0.09, anchorY + 0.08, secondLook.SecondShape, secondLook.Item2),
            _ => new Hand(SecondRest.X, SecondRest.Y, HandShape.Disc, style.Skin),
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

    /// <summary>A [3, H, W] frame being drawn in signer coordinates.</summary>
    private readonly ref struct Canvas
    {
        private readonly Span<byte> _chw;
        private readonly int _width, _height;
        private readonly double _scale, _originX, _originY;

        public Canvas(Span<byte> chw, int width, int height, SignerStyle style)
        {
            _chw = chw;
            _width = width;
            _height = height;
            _scale = style.Size * Math.Min(width, height);
            // The signer's centre (0.5, 0.5) lands at the frame centre, shifted by the video's offset.
            _originX = width * (0.5 + style.OffsetX) - 0.5 * _scale;
            _originY = height * (0.5 + style.OffsetY) - 0.5 * _scale;
        }

        public void Fill((byte R, byte G, byte B) colour)
        {
            var plane = _width * _height;
            _chw[..plane].Fill(colour.R);
            _chw.Slice(plane, plane).Fill(colour.G);
            _chw.Slice(2 * plane, plane).Fill(colour.B);
        }

        public void Rectangle(double left, double top, double right, double bottom, (byte R, byte G, byte B) colour)
        {
            var x0 = Math.Max(0, (int)Math.Ceiling(ToPixelX(left) - 0.5));
            var x1 = Math.Min(_width - 1, (int)Math.Floor(ToPixelX(right) - 0.5));
            var y0 = Math.Max(0, (int)Math.Ceiling(ToPixelY(top) - 0.5));
            var y1 = Math.Min(_height - 1, (int)Math.Floor(ToPixelY(bottom) - 0.5));
            for (var y = y0; y <= y1; y++)
                for (var x = x0; x <= x1; x++)
                    Set(x, y, colour);
        }

        public void Shape(double centreX, double centreY, double radius, HandShape shape, (byte R, byte G, byte B) colour)
        {
            var cx = ToPixelX(centreX);
            var cy = ToPixelY(centreY);
            var r = Math.Max(1.2, radius * _scale);
            var x0 = Math.Max(0, (int)Math.Floor(cx - r));
            var x1 = Math.Min(_width - 1, (int)Math.Ceiling(cx + r));
            var y0 = Math.Max(0, (int)Math.Floor(cy - r));
            var y1 = Math.Min(_height - 1, (int)Math.Ceiling(cy + r));
            for (var y = y0; y <= y1; y++)
            {
                for (var x = x0; x <= x1; x++)
                {
                    // Pixel centres sit at half-integer coordinates.
                    var dx = x + 0.5 - cx;
                    var dy = y + 0.5 - cy;
                    var inside = shape switch
                    {
                        HandShape.Disc => dx * dx + dy * dy <= r * r,
                        HandShape.Square => Math.Abs(dx) <= 0.85 * r && Math.Abs(dy) <= 0.85 * r,
                        HandShape.Ring => dx * dx + dy * dy <= r * r && dx * dx + dy * dy >= 0.3 * r * r,
                        _ => Math.Abs(dx) + Math.Abs(dy) <= 1.15 * r,
                    };
                    if (inside) Set(x, y, colour);
                }
            }
        }

        /// <summary>Uniform integer noise in [-amount, amount] per channel; four 16-bit draws per 64-bit number.</summary>
        public void AddNoise(int amount, SplitMix64 random)
        {
            var levels = (ulong)(2 * amount + 1);
            ulong bits = 0;
            for (var i = 0; i < _chw.Length; i++)
            {
                if ((i & 3) == 0) bits = random.NextUInt64();
                var offset = (int)(((bits & 0xFFFF) * levels) >> 16) - amount;
                bits >>= 16;
                _chw[i] = (byte)Math.Clamp(_chw[i] + offset, 0, 255);
            }
        }

        private double ToPixelX(double x) => _originX + x * _scale;

        private double ToPixelY(double y) => _originY + y * _scale;

        private void Set(int x, int y, (byte R, byte G, byte B) colour)
        {
            var plane = _width * _height;
            var at = y * _width + x;
            _chw[at] = colour.R;
            _chw[plane + at] = colour.G;
            _chw[2 * plane + at] = colour.B;
        }
    }
}
