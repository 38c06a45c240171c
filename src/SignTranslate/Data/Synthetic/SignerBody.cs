namespace SignTranslate.Data.Synthetic;

/// <summary>
/// Where the renderer draws the signer's body, in signer coordinates (x right, y down, the body spanning [0, 1]).
/// The renderer draws from these and the keypoints are placed on them, so both always agree.
/// </summary>
public static class SignerBody
{
    public const double HeadX = 0.5, HeadY = 0.2, HeadRadius = 0.11;
    public const double TorsoLeft = 0.27, TorsoRight = 0.73, TorsoTop = 0.36, TorsoBottom = 1.2;
    public const double HandRadius = 0.085;

    /// <summary>
    /// Hands at rest. The dominant hand rests and signs on the image's left: for a signer facing the camera that is
    /// the signer's own right hand (COCO-WholeBody's right hand, joints 112-132).
    /// </summary>
    public static readonly (double X, double Y) DominantRest = (0.30, 0.93), SecondRest = (0.70, 0.93);
}

/// <summary>
/// Maps signer coordinates into one video's frame: the signer's size and offset (<see cref="SignerStyle"/>) scale and
/// shift them into pixels, where pixel (i, j) covers [i, i + 1) × [j, j + 1), so its centre is at (i + 0.5, j + 0.5).
/// </summary>
public readonly record struct SignerFrame(double Scale, double OriginX, double OriginY, int Width, int Height)
{
    public static SignerFrame For(SignerStyle style, int width, int height)
    {
        var scale = style.Size * Math.Min(width, height);
        // The signer's centre (0.5, 0.5) lands at the frame centre, shifted by the video's offset.
        return new SignerFrame(scale, width * (0.5 + style.OffsetX) - 0.5 * scale, height * (0.5 + style.OffsetY) - 0.5 * scale, width, height);
    }

    public double ToPixelX(double x) => OriginX + x * Scale;

    public double ToPixelY(double y) => OriginY + y * Scale;

    /// <summary>A drawn shape's radius in pixels; at least 1.2 so a tiny frame still shows every shape.</summary>
    public double PixelRadius(double radius) => Math.Max(1.2, radius * Scale);

    public bool Contains(double pixelX, double pixelY) => pixelX >= 0 && pixelX < Width && pixelY >= 0 && pixelY < Height;
}
