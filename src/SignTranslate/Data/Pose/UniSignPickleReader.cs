using System.Collections;
using Razorvine.Pickle;
using SignTranslate.Files;

namespace SignTranslate.Data.Pose;

/// <summary>
/// Reads Uni-Sign's keypoint pickles (docs/pose.md#formats): a dict <c>{'keypoints': float32 [T, 1, 133, 2],
/// 'scores': float32 [T, 1, 133]}</c> of numpy arrays, as its pose extraction writes them with <c>pickle.dump</c>
/// (any protocol up to 5, numpy 1 or 2). The person axis may be absent; with several persons the first is taken, as
/// Uni-Sign does. float64 is accepted. The pickle is read as data: a pickle naming any global outside
/// <see cref="NumpyPickle.AllowedGlobals"/> is refused before it is unpickled.
/// </summary>
public static class UniSignPickleReader
{
    public const string Extension = ".pkl";

    public static KeypointSequence Read(string path)
    {
        if (!File.Exists(path)) throw new KeypointFileException(path, "keypoint file not found");
        var pickle = UserFiles.ReadAllBytes(path, "keypoint pickle");
        RefuseUnsafeGlobals(path, pickle);
        object? root;
        try
        {
            root = NumpyPickle.Load(pickle);
        }
        catch (Exception e) when (e is PickleException or IOException or InvalidCastException or ArgumentException
                                      or IndexOutOfRangeException or InvalidOperationException or NullReferenceException)
        {
            throw new KeypointFileException(path, $"not a readable pickle ({e.Message.TrimEnd('.')})");
        }
        if (root is not Hashtable dict)
            throw new KeypointFileException(path, $"expected a dict with 'keypoints' and 'scores', found {PickleFile.PythonType(root)}");
        var (points, pointShape) = Array(path, dict, "keypoints");
        var (scores, scoreShape) = Array(path, dict, "scores");
        return Combine(path, points, pointShape, scores, scoreShape);
    }

    private static void RefuseUnsafeGlobals(string path, byte[] pickle)
    {
        List<PickleGlobalScan.Global> globals;
        try
        {
            globals = PickleGlobalScan.Globals(pickle);
        }
        catch (FormatException e)
        {
            throw new KeypointFileException(path, $"not a readable keypoint pickle: {e.Message}");
        }
        foreach (var global in globals)
            if (!NumpyPickle.AllowedGlobals.Contains(global.ToString()))
                throw new KeypointFileException(path, $"refused: the pickle calls {global}; a keypoint pickle holds only numpy arrays");
    }

    private static (float[] Values, long[] Shape) Array(string path, Hashtable dict, string key)
    {
        if (!dict.ContainsKey(key))
            throw new KeypointFileException(path, $"no '{key}' entry (a Uni-Sign keypoint pickle holds 'keypoints' [T, 1, 133, 2] and 'scores' [T, 1, 133])");
        if (dict[key] is not NumpyPickle.PickledArray array)
            throw new KeypointFileException(path, $"'{key}' is a {PickleFile.PythonType(dict[key])}, expected a numpy array");
        var (values, problem) = NumpyPickle.ToFloats(array);
        return values is null ? throw new KeypointFileException(path, $"'{key}': {problem}") : (values, array.Shape!);
    }

    private static KeypointSequence Combine(string path, float[] points, long[] pointShape, float[] scores, long[] scoreShape)
    {
        // [T, P, 133, 2] and [T, P, 133], or without the person axis P.
        var pointsHavePersons = pointShape.Length == 4;
        if (pointShape.Length is not (3 or 4) || pointShape[^1] != 2)
            throw new KeypointFileException(path, $"'keypoints' has shape [{string.Join(", ", pointShape)}], expected [T, 1, 133, 2] or [T, 133, 2]");
        if (scoreShape.Length != pointShape.Length - 1)
            throw new KeypointFileException(path, $"'scores' has shape [{string.Join(", ", scoreShape)}], expected [T, 1, 133] or [T, 133] to match 'keypoints' [{string.Join(", ", pointShape)}]");
        var joints = pointShape[^2];
        if (joints != KeypointLayout.Joints)
            throw new KeypointFileException(path, $"has {joints} joints per frame, expected {KeypointLayout.Joints} (COCO-WholeBody)");
        if (scoreShape[^1] != joints)
            throw new KeypointFileException(path, $"'scores' has {scoreShape[^1]} joints per frame, 'keypoints' {joints}");
        if (scoreShape[0] != pointShape[0])
            throw new KeypointFileException(path, $"'keypoints' has {pointShape[0]} frames but 'scores' has {scoreShape[0]}");
        var persons = pointsHavePersons ? pointShape[1] : 1;
        if (pointsHavePersons && (persons < 1 || scoreShape[1] != persons))
            throw new KeypointFileException(path, $"'keypoints' has {persons} persons per frame but 'scores' has {scoreShape[1]}; expected at least one, the same in both");

        var frames = (int)pointShape[0];
        var values = new float[frames * KeypointLayout.Joints * KeypointLayout.Channels];
        for (var t = 0; t < frames; t++)
            for (var j = 0; j < KeypointLayout.Joints; j++)
            {
                // Person 0 of frame t.
                var point = (t * persons * KeypointLayout.Joints + j) * 2;
                var to = (t * KeypointLayout.Joints + j) * KeypointLayout.Channels;
                values[to] = points[point];
                values[to + 1] = points[point + 1];
                values[to + 2] = scores[t * persons * KeypointLayout.Joints + j];
            }
        KeypointValues.ThrowUnlessFinite(path, values);
        return new KeypointSequence(frames, values);
    }
}
