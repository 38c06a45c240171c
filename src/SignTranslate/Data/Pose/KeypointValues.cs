namespace SignTranslate.Data.Pose;

/// <summary>The checks every reader applies to the values it builds (docs/pose.md#formats).</summary>
internal static class KeypointValues
{
    private static readonly string[] ChannelNames = ["x coordinate", "y coordinate", "score"];

    /// <summary>
    /// Throws at the first NaN or infinite value of <paramref name="values"/> ([frames, 133, 3]): models would spread
    /// it through a whole batch, so a reader refuses it and names the frame and the joint instead.
    /// </summary>
    /// <param name="firstFrame">The number of <paramref name="values"/>' first frame in the clip (for messages).</param>
    public static void ThrowUnlessFinite(string file, ReadOnlySpan<float> values, int firstFrame = 0)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (float.IsFinite(values[i])) continue;
            var joint = i / KeypointLayout.Channels % KeypointLayout.Joints;
            var frame = i / (KeypointLayout.Channels * KeypointLayout.Joints) + firstFrame;
            var what = float.IsNaN(values[i]) ? "NaN" : "infinite";
            throw new KeypointFileException(file, $"frame {frame}, joint {JointNames.Describe(joint)}: {what} {ChannelNames[i % KeypointLayout.Channels]}");
        }
    }
}
