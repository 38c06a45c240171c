namespace SignTranslate.Data.Pose;

/// <summary>
/// Where OpenPose's points go in <see cref="KeypointLayout"/> (docs/pose.md#formats). BODY_25's neck (1) and mid-hip
/// (8) have no COCO-WholeBody joint and are dropped; OpenPose's face points 68 and 69 (the pupils) likewise. The
/// first 68 face points and the 21 points of each hand are in the same order in both.
/// </summary>
public static class OpenPoseMapping
{
    public const int BodyPoints = 25, FacePoints = 70, HandPoints = 21;

    /// <summary>The BODY_25 point of each COCO body and foot joint (0..22).</summary>
    public static readonly int[] Body25OfCoco =
    [
        0,  // nose
        16, // left eye
        15, // right eye
        18, // left ear
        17, // right ear
        5,  // left shoulder
        2,  // right shoulder
        6,  // left elbow
        3,  // right elbow
        7,  // left wrist
        4,  // right wrist
        12, // left hip
        9,  // right hip
        13, // left knee
        10, // right knee
        14, // left ankle
        11, // right ankle
        19, // left big toe
        20, // left small toe
        21, // left heel
        22, // right big toe
        23, // right small toe
        24, // right heel
    ];
}
