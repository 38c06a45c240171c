using SignTranslate.Checkpoints;
using SignTranslate.Data.Pose;
using static TorchSharp.torch;

namespace SignTranslate.Tests.Data.Pose;

/// <summary>Every way a keypoint file can be wrong gives one <see cref="InputException"/> line naming the file and what was expected.</summary>
public sealed class PoseReaderErrorTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("slt-pose-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Path(string name) => System.IO.Path.Combine(_folder, name);

    private static string Error(string path) => Assert.IsAssignableFrom<InputException>(Record.Exception(() => KeypointFileReader.Read(path))).Message;

    private static double[] Ramp(int count) => Enumerable.Range(0, count).Select(i => i * 0.5).ToArray();

    private string Pickle(string name, params (string Key, double[] Values, int[] Shape, bool Float64)[] arrays)
    {
        var path = Path(name);
        File.WriteAllBytes(path, TestNumpyPickles.Dict("numpy.core", arrays));
        return path;
    }

    // --- missing and unknown ---

    [Theory]
    [InlineData("none.pkl", "keypoint file or OpenPose folder not found")]
    [InlineData("none.safetensors", "keypoint file or OpenPose folder not found")]
    [InlineData("no_folder", "keypoint file or OpenPose folder not found")]
    public void AMissingFileOrFolderIsNamed(string name, string expected) => Assert.Equal($"{Path(name)}: {expected}", Error(Path(name)));

    [Fact]
    public void AnUnknownExtensionSaysWhatIsRead()
    {
        File.WriteAllText(Path("pose.npy"), "x");
        Assert.Equal($"{Path("pose.npy")}: unknown keypoint format '.npy': expected a .safetensors file, a Uni-Sign .pkl or an OpenPose JSON folder",
            Error(Path("pose.npy")));
    }

    // --- Uni-Sign pickles ---

    [Fact]
    public void APickleWithoutThePersonAxisInFloat64AndNumpy2NamesIsRead()
    {
        var path = Path("numpy2.pkl");
        File.WriteAllBytes(path, TestNumpyPickles.Dict("numpy._core",
            ("keypoints", Ramp(2 * 133 * 2), [2, 133, 2], true), ("scores", Ramp(2 * 133), [2, 133], true)));

        var sequence = KeypointFileReader.Read(path);

        Assert.Equal(2, sequence.Frames);
        Assert.Equal((0f, 0.5f, 0f), (sequence.X(0, 0), sequence.Y(0, 0), sequence.Score(0, 0)));
        // Frame 1, joint 4: keypoints index (133 + 4) * 2, scores index 133 + 4.
        Assert.Equal((137f, 137.5f, 68.5f), (sequence.X(1, 4), sequence.Y(1, 4), sequence.Score(1, 4)));
    }

    [Fact]
    public void BigEndianAndFortranOrderArraysAreReadInTheirOrder()
    {
        // [1, 133, 2] with value(j, c) = j + 1000 c, given column-major (index j + 133 c), as order 'F' stores it.
        var points = new double[133 * 2];
        for (var j = 0; j < 133; j++)
            for (var c = 0; c < 2; c++) points[j + 133 * c] = j + 1000 * c;
        var path = Path("fortran.pkl");
        File.WriteAllBytes(path, TestNumpyPickles.Dict("numpy.core", bigEndian: true, fortran: true,
            ("keypoints", points, [1, 133, 2], false), ("scores", Ramp(133), [1, 133], false)));

        var sequence = KeypointFileReader.Read(path);

        Assert.Equal((7f, 1007f, 3.5f), (sequence.X(0, 7), sequence.Y(0, 7), sequence.Score(0, 7)));
        Assert.Equal((132f, 1132f), (sequence.X(0, 132), sequence.Y(0, 132)));
    }

    [Fact]
    public void OfSeveralPersonsTheFirstIsTaken()
    {
        var points = Ramp(1 * 2 * 133 * 2);
        var path = Pickle("two.pkl", ("keypoints", points, [1, 2, 133, 2], false), ("scores", Ramp(2 * 133), [1, 2, 133], false));

        var sequence = KeypointFileReader.Read(path);

        // Person 0's joint 132: keypoints index 132 * 2, scores index 132 (person 1's would be (133 + 132) * 2 and 265).
        Assert.Equal((132f, 132.5f, 66f), (sequence.X(0, 132), sequence.Y(0, 132), sequence.Score(0, 132)));
    }

    [Fact]
    public void APickleWithTheWrongJointCountIsRefused()
    {
        var path = Pickle("coco17.pkl", ("keypoints", Ramp(3 * 17 * 2), [3, 1, 17, 2], false), ("scores", Ramp(3 * 17), [3, 1, 17], false));
        Assert.Equal($"{path}: has 17 joints per frame, expected 133 (COCO-WholeBody)", Error(path));
    }

    [Fact]
    public void KeypointsAndScoresMustHaveTheSameFrames()
    {
        var path = Pickle("frames.pkl", ("keypoints", Ramp(3 * 133 * 2), [3, 1, 133, 2], false), ("scores", Ramp(2 * 133), [2, 1, 133], false));
        Assert.Equal($"{path}: 'keypoints' has 3 frames but 'scores' has 2", Error(path));
    }

    [Fact]
    public void ANaNCoordinateNamesTheFrameAndTheJoint()
    {
        var points = Ramp(4 * 133 * 2);
        points[(3 * 133 + 5) * 2] = double.NaN;
        var path = Pickle("nan.pkl", ("keypoints", points, [4, 1, 133, 2], false), ("scores", Ramp(4 * 133), [4, 1, 133], false));
        Assert.Equal($"{path}: frame 3, joint 5 (left shoulder): NaN x coordinate", Error(path));
    }

    [Fact]
    public void AnInfiniteScoreNamesTheFrameAndTheJoint()
    {
        var scores = Ramp(2 * 133);
        scores[133 + 100] = double.PositiveInfinity;
        var path = Pickle("inf.pkl", ("keypoints", Ramp(2 * 133 * 2), [2, 133, 2], false), ("scores", scores, [2, 133], false));
        Assert.Equal($"{path}: frame 1, joint 100 (left hand point 9): infinite score", Error(path));
    }

    [Fact]
    public void AMissingScoresEntryIsNamed()
    {
        var path = Pickle("noscores.pkl", ("keypoints", Ramp(133 * 2), [1, 133, 2], false));
        Assert.StartsWith($"{path}: no 'scores' entry", Error(path));
    }

    [Theory]
    [InlineData(new byte[] { 0x80, 0x04, 0x4b, 0x05, 0x2e }, "expected a dict with 'keypoints' and 'scores', found int")]
    [InlineData(new byte[] { 0x80, 0x04, 0x8c, 0x10, 0x61 }, "not a readable keypoint pickle: the pickle ends inside an opcode's argument")]
    [InlineData(new byte[] { 0x50, 0x4b, 0x03, 0x04 }, "not a readable keypoint pickle: it uses persistent ids, which a keypoint pickle never holds")]
    [InlineData(new byte[] { 0x80, 0x04, 0x4b, 0x05, 0x7d, 0x62, 0x2e }, "not a readable pickle (")]
    [InlineData(new byte[] { 0xff, 0x00 }, "not a readable keypoint pickle: unknown pickle opcode 0xff at byte 0")]
    public void AnUnreadablePickleIsNamed(byte[] bytes, string expected)
    {
        File.WriteAllBytes(Path("bad.pkl"), bytes);
        Assert.StartsWith($"{Path("bad.pkl")}: {expected}", Error(Path("bad.pkl")));
    }

    // --- OpenPose folders ---

    private string OpenPose(params string[] frames)
    {
        var folder = Directory.CreateDirectory(Path("openpose")).FullName;
        for (var t = 0; t < frames.Length; t++) File.WriteAllText(System.IO.Path.Combine(folder, $"clip_{t}_keypoints.json"), frames[t]);
        return folder;
    }

    private static string Person(int pose = 75, int face = 210, int hand = 63, double value = 1) =>
        $"{{\"pose_keypoints_2d\": [{Values(pose, value)}], \"face_keypoints_2d\": [{Values(face, value)}], " +
        $"\"hand_left_keypoints_2d\": [{Values(hand, value)}], \"hand_right_keypoints_2d\": [{Values(hand, value)}]}}";

    private static string Values(int count, double value) => string.Join(", ", Enumerable.Repeat(value.ToString(System.Globalization.CultureInfo.InvariantCulture), count));

    [Fact]
    public void AnEmptyOpenPoseFolderIsNamed()
    {
        var folder = OpenPose();
        File.WriteAllText(System.IO.Path.Combine(folder, "notes.json"), "{}");
        Assert.Equal($"{folder}: no *_keypoints.json frame files (an OpenPose folder holds one per frame)", Error(folder));
    }

    [Fact]
    public void AShortPoseArrayNamesTheFrameFile()
    {
        var folder = OpenPose($"{{\"people\": [{Person()}]}}", $"{{\"people\": [{Person(pose: 54)}]}}");
        Assert.Equal($"{System.IO.Path.Combine(folder, "clip_1_keypoints.json")}: pose_keypoints_2d has 54 values, expected 75 (BODY_25)", Error(folder));
    }

    [Fact]
    public void AShortHandArrayNamesTheFrameFile()
    {
        var folder = OpenPose($"{{\"people\": [{Person(hand: 60)}]}}");
        Assert.Equal($"{System.IO.Path.Combine(folder, "clip_0_keypoints.json")}: hand_left_keypoints_2d has 60 values, expected 63 (21 hand points)", Error(folder));
    }

    [Fact]
    public void MalformedJsonNamesTheFrameFileAndTheLine()
    {
        var folder = OpenPose("{\n  \"people\": [\n    {\"pose_keypoints_2d\": [1, 2,]}\n  ]\n}");
        Assert.StartsWith($"{System.IO.Path.Combine(folder, "clip_0_keypoints.json")}: malformed JSON at line 3", Error(folder));
    }

    [Fact]
    public void AFrameWithoutPeopleIsZerosAndFramesComeInNumberOrder()
    {
        var folder = Directory.CreateDirectory(Path("order")).FullName;
        File.WriteAllText(System.IO.Path.Combine(folder, "v_10_keypoints.json"), $"{{\"people\": [{Person(value: 3)}]}}");
        File.WriteAllText(System.IO.Path.Combine(folder, "v_2_keypoints.json"), $"{{\"people\": [{Person(value: 2)}]}}");
        File.WriteAllText(System.IO.Path.Combine(folder, "v_1_keypoints.json"), "{\"people\": []}");

        var sequence = KeypointFileReader.Read(folder);

        Assert.Equal(3, sequence.Frames);
        Assert.All(Enumerable.Range(0, 133), j => Assert.Equal((0f, 0f, 0f), (sequence.X(0, j), sequence.Y(0, j), sequence.Score(0, j))));
        Assert.Equal((2f, 3f), (sequence.Score(1, 0), sequence.Score(2, 132)));
    }

    [Fact]
    public void AbsentFaceAndHandsAreZeros()
    {
        var folder = OpenPose($"{{\"people\": [{{\"pose_keypoints_2d\": [{Values(75, 1)}], \"hand_left_keypoints_2d\": []}}]}}");

        var sequence = KeypointFileReader.Read(folder);

        Assert.Equal(1f, sequence.Score(0, 22));
        Assert.Equal((0f, 0f), (sequence.Score(0, 23), sequence.Score(0, 100)));
    }

    // --- own format ---

    private string SafeTensors(string name, Tensor keypoints, string tensorName = "keypoints")
    {
        using (keypoints) SafeTensorsFile.Save(Path(name), [new(tensorName, keypoints)]);
        return Path(name);
    }

    [Fact]
    public void AnOwnFormatFileWithTheWrongJointCountIsRefused()
    {
        var path = SafeTensors("coco17.safetensors", zeros(2, 17, 3));
        Assert.Equal($"{path}: has 17 joints per frame, expected 133 (COCO-WholeBody)", Error(path));
    }

    [Fact]
    public void AnOwnFormatFileWithTwoChannelsIsRefused()
    {
        var path = SafeTensors("xy.safetensors", zeros(2, 133, 2));
        Assert.Equal($"{path}: 'keypoints' has shape [2, 133, 2], expected [T, 133, 3] (x, y, score)", Error(path));
    }

    [Fact]
    public void AnOwnFormatNaNNamesTheFrameAndTheJoint()
    {
        var values = zeros(3, 133, 3);
        values[2, 6, 1] = tensor(float.NaN);
        var path = SafeTensors("nan.safetensors", values);
        Assert.Equal($"{path}: frame 2, joint 6 (right shoulder): NaN y coordinate", Error(path));
    }

    [Fact]
    public void AnOwnFormatFileWithoutTheTensorIsNamed()
    {
        var path = SafeTensors("other.safetensors", zeros(2, 133, 3), "poses");
        Assert.Equal($"{path}: no 'keypoints' tensor (a keypoint file holds keypoints [T, 133, 3])", Error(path));
    }

    [Fact]
    public void AnOwnFormatFloat64FileIsConverted()
    {
        var path = SafeTensors("f64.safetensors", full(2, 133, 3, 0.25, dtype: ScalarType.Float64));
        Assert.All(KeypointFileReader.Read(path).Values, v => Assert.Equal(0.25f, v));
    }

    [Fact]
    public void TheOwnFormatRoundTrips()
    {
        var values = Enumerable.Range(0, 2 * 133 * 3).Select(i => i * 0.25f).ToArray();
        SltKeypointFile.Write(Path("round.safetensors"), new KeypointSequence(2, values));

        Assert.Equal(values, KeypointFileReader.Read(Path("round.safetensors")).Values);
    }
}
