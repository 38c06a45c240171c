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
    private readonly HandTrack _hands;

    public SyntheticRenderer(SyntheticOptions options, HandTrack hands)
    {
        _options = options;
        _hands = hands;
    }

    public int FrameBytes => 3 * _options.FrameWidth * _options.FrameHeight;

    public byte[] Render(VideoPlan plan)
    {
        var video = new byte[plan.FrameCount * FrameBytes];
        var hands = _hands.Frames(plan);
        // The hand wobble was drawn by the hand track; this stream's remaining draws are the pixel noise.
        var random = RenderStream.Open(_options, plan);
        for (var frame = 0; frame < plan.FrameCount; frame++)
        {
            random.Skip(RenderStream.JitterDraws);
            RenderFrame(plan.Signer, hands[frame], video.AsSpan(frame * FrameBytes, FrameBytes), random);
        }
        return video;
    }

    private void RenderFrame(SignerStyle style, FrameHands hands, Span<byte> chw, SplitMix64 random)
    {
        var (dominant, second) = (hands.Dominant, hands.Second);
        var canvas = new Canvas(chw, SignerFrame.For(style, _options.FrameWidth, _options.FrameHeight));
        canvas.Fill(style.Background);
        canvas.Rectangle(SignerBody.TorsoLeft, SignerBody.TorsoTop, SignerBody.TorsoRight, SignerBody.TorsoBottom, style.Clothing);
        canvas.Shape(SignerBody.HeadX, SignerBody.HeadY, SignerBody.HeadRadius, HandShape.Disc, style.Skin);
        canvas.Shape(second.X, second.Y, SignerBody.HandRadius, second.Shape, second.Colour);
        canvas.Shape(dominant.X, dominant.Y, SignerBody.HandRadius, dominant.Shape, dominant.Colour);
        if (_options.PixelNoise > 0) canvas.AddNoise(_options.PixelNoise, random);
    }

    /// <summary>A [3, H, W] frame being drawn in signer coordinates.</summary>
    private readonly ref struct Canvas
    {
        private readonly Span<byte> _chw;
        private readonly int _width, _height;
        private readonly SignerFrame _frame;

        public Canvas(Span<byte> chw, SignerFrame frame)
        {
            _chw = chw;
            _width = frame.Width;
            _height = frame.Height;
            _frame = frame;
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
            var r = _frame.PixelRadius(radius);
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

        private double ToPixelX(double x) => _frame.ToPixelX(x);

        private double ToPixelY(double y) => _frame.ToPixelY(y);

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
