namespace SignTranslate.Data.Pose;

/// <summary>
/// Makes a clip's keypoints independent of where the signer stands and how large they appear (docs/pose.md#normalisation):
/// joints scored below the threshold become missing (0, 0, score 0); the rest are centred on the mean shoulder midpoint
/// and divided by the mean shoulder width, both over the clip's frames where both shoulders are confident. One centre
/// and scale per clip, not per frame, so that the body's own motion survives and a frame with a dropped shoulder does
/// not jump. A clip with no confident shoulder pair falls back to the centre and extent of all its confident joints.
/// </summary>
public static class PoseNormalisation
{
    /// <summary>Writes the normalised values of the given frames of <paramref name="sequence"/> into <paramref name="result"/> ([frames.Length, 133, 3]; e.g. a tensor's memory).</summary>
    public static void Apply(KeypointSequence sequence, IReadOnlyList<int> frames, double minScore, Span<float> result)
    {
        var (centreX, centreY, scale) = Frame(sequence, frames, minScore);
        const int joints = KeypointLayout.Joints, channels = KeypointLayout.Channels;
        if (result.Length != frames.Count * joints * channels)
            throw new ArgumentException($"{frames.Count} frames need {frames.Count * joints * channels} values, the buffer holds {result.Length}", nameof(result));
        result.Clear();
        for (var i = 0; i < frames.Count; i++)
        {
            for (var j = 0; j < joints; j++)
            {
                var score = sequence.Score(frames[i], j);
                if (score < minScore || score <= 0) continue;
                var at = (i * joints + j) * channels;
                result[at] = (float)((sequence.X(frames[i], j) - centreX) / scale);
                result[at + 1] = (float)((sequence.Y(frames[i], j) - centreY) / scale);
                result[at + 2] = score;
            }
        }
    }

    /// <summary>The clip's centre and scale (see the class summary).</summary>
    public static (double CentreX, double CentreY, double Scale) Frame(KeypointSequence sequence, IReadOnlyList<int> frames, double minScore)
    {
        bool Confident(int frame, int joint) => sequence.Score(frame, joint) >= minScore && sequence.Score(frame, joint) > 0;
        double sumX = 0, sumY = 0, sumWidth = 0;
        var pairs = 0;
        foreach (var f in frames)
        {
            if (!Confident(f, KeypointLayout.LeftShoulder) || !Confident(f, KeypointLayout.RightShoulder)) continue;
            var (lx, ly) = (sequence.X(f, KeypointLayout.LeftShoulder), sequence.Y(f, KeypointLayout.LeftShoulder));
            var (rx, ry) = (sequence.X(f, KeypointLayout.RightShoulder), sequence.Y(f, KeypointLayout.RightShoulder));
            sumX += (lx + rx) / 2;
            sumY += (ly + ry) / 2;
            sumWidth += Math.Sqrt((lx - rx) * (lx - rx) + (ly - ry) * (ly - ry));
            pairs++;
        }
        if (pairs > 0 && sumWidth > 0)
            return (sumX / pairs, sumY / pairs, sumWidth / pairs);

        // No shoulders: centre on all confident joints, scale by half their larger extent (about a shoulder width for an upper body).
        double minX = double.MaxValue, maxX = double.MinValue, minY = double.MaxValue, maxY = double.MinValue, allX = 0, allY = 0;
        var count = 0;
        foreach (var f in frames)
            for (var j = 0; j < KeypointLayout.Joints; j++)
            {
                if (!Confident(f, j)) continue;
                var (x, y) = (sequence.X(f, j), sequence.Y(f, j));
                (minX, maxX, minY, maxY) = (Math.Min(minX, x), Math.Max(maxX, x), Math.Min(minY, y), Math.Max(maxY, y));
                allX += x;
                allY += y;
                count++;
            }
        if (count == 0) return (0, 0, 1);
        var extent = Math.Max(maxX - minX, maxY - minY) / 2;
        return (allX / count, allY / count, extent > 0 ? extent : 1);
    }
}
