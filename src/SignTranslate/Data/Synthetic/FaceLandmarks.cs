namespace SignTranslate.Data.Synthetic;

/// <summary>
/// The 68 iBUG face landmarks of the synthetic signer, a fixed pattern inside the drawn head disc: offsets from the
/// head's centre in units of its radius (x right, y down). Point 0 of the jaw is on the image's left (the signer's
/// right), as in iBUG; every point lies within 0.9 radii, so inside the head.
/// </summary>
public static class FaceLandmarks
{
    /// <summary>Centres of the signer's right eye (image left) and left eye; the body keypoints' eyes sit here.</summary>
    public static readonly (double X, double Y) RightEye = (-0.38, -0.25), LeftEye = (0.38, -0.25);

    /// <summary>The nose tip (landmark 30); the body keypoint "nose" sits here.</summary>
    public static readonly (double X, double Y) NoseTip = (0, 0.15);

    public static IReadOnlyList<(double X, double Y)> Points { get; } = Build();

    private static (double X, double Y)[] Build()
    {
        var points = new List<(double X, double Y)>(68);
        // 0-16 jaw: from beside one ear, under the chin, to beside the other.
        for (var i = 0; i <= 16; i++)
        {
            var angle = Math.PI * (1 - i / 16.0);
            points.Add((0.85 * Math.Cos(angle), 0.1 + 0.8 * Math.Sin(angle)));
        }
        // 17-21 and 22-26 eyebrows, outer to inner on the image's left, inner to outer on its right.
        for (var i = 0; i < 5; i++) points.Add((-0.6 + 0.1125 * i, -0.45 - 0.04 * Math.Sin(Math.PI * i / 4)));
        for (var i = 0; i < 5; i++) points.Add((0.15 + 0.1125 * i, -0.45 - 0.04 * Math.Sin(Math.PI * i / 4)));
        // 27-30 nose bridge down to the tip, 31-35 the nostrils' base.
        for (var i = 0; i < 4; i++) points.Add((0, -0.3 + 0.15 * i));
        for (var i = 0; i < 5; i++) points.Add((-0.2 + 0.1 * i, 0.25));
        // 36-41 and 42-47 eyes: outer/inner corner, two upper lid points, the other corner, two lower lid points.
        AddEllipse(points, RightEye, 0.15, 0.06, 6);
        AddEllipse(points, LeftEye, 0.15, 0.06, 6);
        // 48-59 outer lips from the left corner over the top, 60-67 inner lips.
        AddEllipse(points, (0, 0.5), 0.35, 0.12, 12);
        AddEllipse(points, (0, 0.5), 0.22, 0.05, 8);
        return [.. points];
    }

    /// <summary>Points from the left end clockwise on screen (over the top first), as iBUG orders eyes and lips.</summary>
    private static void AddEllipse(List<(double X, double Y)> points, (double X, double Y) centre, double halfWidth, double halfHeight, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var angle = Math.PI - 2 * Math.PI * i / count;
            points.Add((centre.X + halfWidth * Math.Cos(angle), centre.Y - halfHeight * Math.Sin(angle)));
        }
    }
}
