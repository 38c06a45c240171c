using System.Text.Json;
using SignTranslate.Files;

namespace SignTranslate.Data.Pose;

/// <summary>
/// Reads an OpenPose JSON folder, as How2Sign ships them (docs/pose.md#formats): one <c>*_keypoints.json</c> per
/// frame, in the natural order of the names (frame 2 before frame 10), each holding <c>people</c> with
/// <c>pose_keypoints_2d</c> (BODY_25), <c>face_keypoints_2d</c> (70 points), <c>hand_left_keypoints_2d</c> and
/// <c>hand_right_keypoints_2d</c> (21 points), as x, y, confidence triples, mapped by <see cref="OpenPoseMapping"/>.
/// Of several people the one with the largest summed pose confidence is taken (the signer is the most visible
/// person in these corpora); a frame without people is all zeros (score 0). An absent or empty face or hand array
/// (OpenPose run without that detector) is zeros too.
/// </summary>
public static class OpenPoseJsonReader
{
    public const string FrameSuffix = "_keypoints.json";

    public static KeypointSequence Read(string folder)
    {
        if (!Directory.Exists(folder)) throw new KeypointFileException(folder, "OpenPose folder not found");
        var files = Directory.EnumerateFiles(folder, "*" + FrameSuffix).Order(NaturalOrder.Instance).ToList();
        if (files.Count == 0)
            throw new KeypointFileException(folder, $"no *{FrameSuffix} frame files (an OpenPose folder holds one per frame)");
        var values = new float[files.Count * KeypointLayout.Joints * KeypointLayout.Channels];
        for (var t = 0; t < files.Count; t++)
            ReadFrame(files[t], t, values.AsSpan(t * KeypointLayout.Joints * KeypointLayout.Channels, KeypointLayout.Joints * KeypointLayout.Channels));
        return new KeypointSequence(files.Count, values);
    }

    private static void ReadFrame(string file, int frame, Span<float> frameValues)
    {
        using var document = Parse(file);
        if (document.RootElement.ValueKind != JsonValueKind.Object
            || !document.RootElement.TryGetProperty("people", out var people) || people.ValueKind != JsonValueKind.Array)
            throw new KeypointFileException(file, "expected an object with a 'people' array (OpenPose JSON)");

        float[]? best = null;
        var bestConfidence = float.NegativeInfinity;
        foreach (var person in people.EnumerateArray())
        {
            var pose = Points(file, person, "pose_keypoints_2d", OpenPoseMapping.BodyPoints, "BODY_25", required: true)!;
            var confidence = 0f;
            for (var i = 2; i < pose.Length; i += 3) confidence += pose[i];
            if (confidence > bestConfidence)
            {
                bestConfidence = confidence;
                best = Map(file, person, pose);
            }
        }
        if (best is null) return; // nobody in the frame: zeros, score 0
        KeypointValues.ThrowUnlessFinite(file, best, frame);
        best.CopyTo(frameValues);
    }

    private static float[] Map(string file, JsonElement person, float[] pose)
    {
        var face = Points(file, person, "face_keypoints_2d", OpenPoseMapping.FacePoints, "70 face points", required: false);
        var left = Points(file, person, "hand_left_keypoints_2d", OpenPoseMapping.HandPoints, "21 hand points", required: false);
        var right = Points(file, person, "hand_right_keypoints_2d", OpenPoseMapping.HandPoints, "21 hand points", required: false);
        var result = new float[KeypointLayout.Joints * KeypointLayout.Channels];
        for (var joint = 0; joint < OpenPoseMapping.Body25OfCoco.Length; joint++)
            Copy(pose, OpenPoseMapping.Body25OfCoco[joint], result, joint);
        for (var i = 0; i < KeypointLayout.Face.Count; i++) Copy(face, i, result, KeypointLayout.Face.Start + i);
        for (var i = 0; i < KeypointLayout.LeftHand.Count; i++) Copy(left, i, result, KeypointLayout.LeftHand.Start + i);
        for (var i = 0; i < KeypointLayout.RightHand.Count; i++) Copy(right, i, result, KeypointLayout.RightHand.Start + i);
        return result;
    }

    private static void Copy(float[]? from, int point, float[] to, int joint)
    {
        if (from is null) return;
        from.AsSpan(point * 3, 3).CopyTo(to.AsSpan(joint * KeypointLayout.Channels, KeypointLayout.Channels));
    }

    /// <summary>The x, y, c triples of <paramref name="name"/>; null when an optional array is absent or empty.</summary>
    private static float[]? Points(string file, JsonElement person, string name, int points, string expected, bool required)
    {
        var present = person.TryGetProperty(name, out var array) && array.ValueKind != JsonValueKind.Null;
        if (!present && required) throw new KeypointFileException(file, $"a person without {name}");
        if (!present || !required && array.ValueKind == JsonValueKind.Array && array.GetArrayLength() == 0) return null;
        if (array.ValueKind != JsonValueKind.Array)
            throw new KeypointFileException(file, $"{name} is not an array of numbers");
        if (array.GetArrayLength() != points * 3)
            throw new KeypointFileException(file, $"{name} has {array.GetArrayLength()} values, expected {points * 3} ({expected})");
        var values = new float[points * 3];
        var i = 0;
        foreach (var item in array.EnumerateArray())
            values[i++] = item.ValueKind == JsonValueKind.Number && item.TryGetSingle(out var value)
                ? value
                : throw new KeypointFileException(file, $"{name}[{i - 1}] is {item.GetRawText()}, expected a number");
        return values;
    }

    private static JsonDocument Parse(string file)
    {
        var bytes = UserFiles.ReadAllBytes(file, "OpenPose frame");
        try
        {
            return JsonDocument.Parse(bytes);
        }
        catch (JsonException e)
        {
            throw new KeypointFileException(file, $"malformed JSON at line {(e.LineNumber ?? 0) + 1}: {e.Message.Split(" LineNumber:")[0].TrimEnd('.', ' ')}");
        }
    }
}
