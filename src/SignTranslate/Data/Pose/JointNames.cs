namespace SignTranslate.Data.Pose;

/// <summary>Names of <see cref="KeypointLayout"/>'s joints, so a message can say which joint is wrong.</summary>
public static class JointNames
{
    private static readonly string[] Body =
    [
        "nose", "left eye", "right eye", "left ear", "right ear", "left shoulder", "right shoulder", "left elbow",
        "right elbow", "left wrist", "right wrist", "left hip", "right hip", "left knee", "right knee", "left ankle", "right ankle",
    ];

    private static readonly string[] Feet = ["left big toe", "left small toe", "left heel", "right big toe", "right small toe", "right heel"];

    /// <summary>E.g. <c>5 (left shoulder)</c>, <c>30 (face point 7)</c>, <c>95 (left hand point 4)</c>.</summary>
    public static string Describe(int joint)
    {
        string name;
        if (joint < KeypointLayout.Body.End) name = Body[joint];
        else if (joint < KeypointLayout.Feet.End) name = Feet[joint - KeypointLayout.Feet.Start];
        else
        {
            var range = new[] { KeypointLayout.Face, KeypointLayout.LeftHand, KeypointLayout.RightHand }.First(r => joint < r.End);
            name = $"{range.Name} point {joint - range.Start}";
        }
        return $"{joint} ({name})";
    }
}
