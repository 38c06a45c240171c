namespace SignTranslate.Data.Synthetic;

/// <summary>
/// The 21 joints of a synthetic hand (wrist, then thumb, index, middle, ring, pinky from base to tip) for each drawn
/// <see cref="HandShape"/>: offsets from the hand's centre in units of its drawn radius (x right, y down), fingers
/// pointing up. Each shape has its own fingertip pattern, so the shape can be told from the keypoints alone:
/// Disc spreads the fingers in a fan, Square holds them parallel in a square grid, Ring closes them into a circle
/// that returns to the wrist, Diamond brings the fingertips together at the top. Every joint lies inside the drawn
/// shape (for Ring, on its band), so a keypoint's pixel shows the hand's colour.
/// </summary>
public static class HandJoints
{
    public const int Count = 21;

    /// <summary>The wrist (joint 0) of every shape: low on the hand, inside Ring's band.</summary>
    public static readonly (double X, double Y) Wrist = (0, 0.7);

    private static readonly Dictionary<HandShape, (double X, double Y)[]> Templates = new()
    {
        [HandShape.Disc] = Fingers((finger, joint) =>
        {
            var angle = Math.PI * (170 - 40 * finger) / 180;
            var reach = 0.3 + 0.2 * joint;
            return (reach * Math.Cos(angle), -reach * Math.Sin(angle));
        }),
        [HandShape.Square] = Fingers((finger, joint) => (-0.7 + 0.35 * finger, 0.35 - 0.35 * joint)),
        [HandShape.Ring] = Fingers((finger, joint) =>
        {
            var angle = 1.5 * Math.PI - 2 * Math.PI * (4 * finger + joint + 1) / Count;
            return (0.75 * Math.Cos(angle), -0.75 * Math.Sin(angle));
        }),
        [HandShape.Diamond] = Fingers((finger, joint) =>
        {
            var t = joint / 3.0;
            var (baseX, tipX) = (0.3 * (finger - 2), 0.04 * (finger - 2));
            return (baseX + (tipX - baseX) * t, 0.3 - 1.2 * t);
        }),
    };

    /// <summary>
    /// The joints of a <paramref name="shape"/> hand. The templates are the signer's left hand seen from the front
    /// (palm to the camera, thumb towards the body's middle, which is the image's left for the left hand);
    /// <paramref name="mirrored"/> gives the right hand.
    /// </summary>
    public static IEnumerable<(double X, double Y)> Of(HandShape shape, bool mirrored) =>
        Templates[shape].Select(p => mirrored ? (-p.X, p.Y) : p);

    /// <summary>Wrist, then per finger (0 thumb … 4 pinky) its four joints (0 base … 3 tip).</summary>
    private static (double X, double Y)[] Fingers(Func<int, int, (double X, double Y)> joint)
    {
        var joints = new (double X, double Y)[Count];
        joints[0] = Wrist;
        for (var finger = 0; finger < 5; finger++)
            for (var j = 0; j < 4; j++)
                joints[1 + 4 * finger + j] = joint(finger, j);
        return joints;
    }
}
