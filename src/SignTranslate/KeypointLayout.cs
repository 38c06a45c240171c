namespace SignTranslate;

/// <summary>
/// The one keypoint layout inside the program: COCO-WholeBody's 133 joints per frame (body 17, feet 6, face 68,
/// left hand 21, right hand 21; "left" is the signer's left), each as (x, y, score) with x, y in pixels of the source
/// video. Every reader converts to it (docs/pose.md#layout).
/// </summary>
public static class KeypointLayout
{
    public const int Joints = 133;

    /// <summary>Values per joint: x, y, score.</summary>
    public const int Channels = 3;

    public static readonly JointRange Body = new("body", 0, 17);
    public static readonly JointRange Feet = new("feet", 17, 6);
    public static readonly JointRange Face = new("face", 23, 68);
    public static readonly JointRange LeftHand = new("left hand", 91, 21);
    public static readonly JointRange RightHand = new("right hand", 112, 21);

    /// <summary>COCO body joints in order (0..16).</summary>
    public const int Nose = 0, LeftEye = 1, RightEye = 2, LeftEar = 3, RightEar = 4, LeftShoulder = 5, RightShoulder = 6,
        LeftElbow = 7, RightElbow = 8, LeftWrist = 9, RightWrist = 10, LeftHip = 11, RightHip = 12;
}

/// <summary>Joints <c>[Start, Start + Count)</c> of <see cref="KeypointLayout"/>.</summary>
public readonly record struct JointRange(string Name, int Start, int Count)
{
    public int End => Start + Count;
}
