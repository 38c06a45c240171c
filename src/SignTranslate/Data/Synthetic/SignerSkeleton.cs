
namespace SignTranslate.Data.Synthetic;

/// <summary>
/// The exact keypoints of the drawn signer in one frame, in <see cref="KeypointLayout"/> and pixels: what a perfect
/// pose detector would report. Eyes, ears, nose and the face sit on the head disc, shoulders at the torso's top
/// corners, hips low on the torso, wrists and hand joints on the drawn hands, elbows below and outside the line
/// from shoulder to wrist. Legs and feet are never drawn (the torso runs out of the frame), so they lie below
/// it with score 0. The dominant hand is the signer's right hand: it rests and signs on the image's left
/// (<see cref="SignerBody.DominantRest"/>), which for a signer facing the camera is their right.
/// </summary>
public static class SignerSkeleton
{
    /// <summary>Where a hanging upper arm puts the elbow, from the shoulder in signer units (x outward, y down).</summary>
    private static readonly (double X, double Y) HangingElbow = (0.06, 0.25);

    /// <summary>Signer-coordinate positions of the body joints that do not follow the head or hands.</summary>
    private static readonly (double X, double Y) RightHip = (0.37, 1.0), LeftHip = (0.63, 1.0);

    /// <summary>Knees, ankles and the six foot joints (COCO-WholeBody: left big toe, small toe, heel, then right), never drawn.</summary>
    private static readonly (int Joint, double X, double Y)[] Legs =
    [
        (13, 0.62, 1.45), (14, 0.38, 1.45), (15, 0.62, 1.9), (16, 0.38, 1.9),
        (17, 0.60, 1.98), (18, 0.68, 1.97), (19, 0.63, 1.92), (20, 0.40, 1.98), (21, 0.32, 1.97), (22, 0.37, 1.92),
    ];

    /// <summary>
    /// Writes the frame's 133 × (x, y, score) into <paramref name="values"/>: score 1 for a drawn joint inside the
    /// frame, 0 for one outside it or never drawn.
    /// </summary>
    public static void Write(SignerFrame frame, FrameHands hands, Span<float> values)
    {
        var joints = new Joints(values, frame);
        (double X, double Y) Pixel((double X, double Y) p) => (frame.ToPixelX(p.X), frame.ToPixelY(p.Y));

        var head = Pixel((SignerBody.HeadX, SignerBody.HeadY));
        var headRadius = frame.PixelRadius(SignerBody.HeadRadius);
        (double X, double Y) OnHead((double X, double Y) offset) => (head.X + offset.X * headRadius, head.Y + offset.Y * headRadius);
        var face = FaceLandmarks.Points;
        for (var i = 0; i < face.Count; i++)
            joints.Set(KeypointLayout.Face.Start + i, OnHead(face[i]));
        joints.Set(KeypointLayout.Nose, OnHead(FaceLandmarks.NoseTip));
        joints.Set(KeypointLayout.LeftEye, OnHead(FaceLandmarks.LeftEye));
        joints.Set(KeypointLayout.RightEye, OnHead(FaceLandmarks.RightEye));
        joints.Set(KeypointLayout.LeftEar, OnHead((0.95, -0.05)));
        joints.Set(KeypointLayout.RightEar, OnHead((-0.95, -0.05)));

        // The signer faces the camera: their right shoulder is the torso's corner on the image's left.
        var rightShoulder = Pixel((SignerBody.TorsoLeft, SignerBody.TorsoTop));
        var leftShoulder = Pixel((SignerBody.TorsoRight, SignerBody.TorsoTop));
        joints.Set(KeypointLayout.RightShoulder, rightShoulder);
        joints.Set(KeypointLayout.LeftShoulder, leftShoulder);
        joints.Set(KeypointLayout.RightHip, Pixel(RightHip));
        joints.Set(KeypointLayout.LeftHip, Pixel(LeftHip));
        foreach (var (joint, x, y) in Legs)
            joints.Set(joint, Pixel((x, y)), drawn: false);

        var handRadius = frame.PixelRadius(SignerBody.HandRadius);
        (double X, double Y) rightWrist = default, leftWrist = default;
        foreach (var (hand, right, range) in new[] { (hands.Dominant, true, KeypointLayout.RightHand), (hands.Second, false, KeypointLayout.LeftHand) })
        {
            var centre = Pixel((hand.X, hand.Y));
            var i = range.Start;
            foreach (var (x, y) in HandJoints.Of(hand.Shape, mirrored: right))
                joints.Set(i++, (centre.X + x * handRadius, centre.Y + y * handRadius));
            var wrist = (centre.X + HandJoints.Wrist.X * handRadius, centre.Y + HandJoints.Wrist.Y * handRadius);
            if (right) rightWrist = wrist;
            else leftWrist = wrist;
        }
        joints.Set(KeypointLayout.RightWrist, rightWrist);
        joints.Set(KeypointLayout.LeftWrist, leftWrist);
        // Arms are not drawn, but a detector infers elbows from shoulders and hands, so they count as visible in the frame.
        joints.Set(KeypointLayout.RightElbow, Elbow(rightShoulder, rightWrist, outward: -1, frame.Scale));
        joints.Set(KeypointLayout.LeftElbow, Elbow(leftShoulder, leftWrist, outward: 1, frame.Scale));
    }

    /// <summary>One frame's joint values being written.</summary>
    private readonly ref struct Joints(Span<float> values, SignerFrame frame)
    {
        private readonly Span<float> _values = values;

        /// <summary>Score 1 for a drawn joint inside the frame, 0 for one outside it or never drawn.</summary>
        public void Set(int joint, (double X, double Y) pixel, bool drawn = true)
        {
            var at = joint * KeypointLayout.Channels;
            _values[at] = (float)pixel.X;
            _values[at + 1] = (float)pixel.Y;
            _values[at + 2] = drawn && frame.Contains(pixel.X, pixel.Y) ? 1 : 0;
        }
    }

    /// <summary>
    /// The elbow: 30% of the way from the shoulder to the wrist, pulled 70% of the way towards where a relaxed upper
    /// arm hangs (<see cref="HangingElbow"/> below the shoulder, <paramref name="outward"/> being the image direction
    /// of the arm's side). So it stays below and outside a raised hand, as a signer's elbow does, and bends outward
    /// when the hand rests low.
    /// </summary>
    private static (double X, double Y) Elbow((double X, double Y) shoulder, (double X, double Y) wrist, int outward, double scale) =>
        (shoulder.X + 0.3 * (wrist.X - shoulder.X) + 0.7 * outward * HangingElbow.X * scale,
         shoulder.Y + 0.3 * (wrist.Y - shoulder.Y) + 0.7 * HangingElbow.Y * scale);
}
