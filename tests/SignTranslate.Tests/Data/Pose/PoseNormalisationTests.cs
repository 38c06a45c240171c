using SignTranslate.Data;
using SignTranslate.Data.Pose;

namespace SignTranslate.Tests.Data.Pose;

public class PoseNormalisationTests
{
    private const int J = KeypointLayout.Joints;

    private static KeypointSequence Sequence(int frames, Action<float[], Func<int, int, int>> fill)
    {
        var values = new float[frames * J * 3];
        fill(values, (f, j) => (f * J + j) * 3);
        return new KeypointSequence(frames, values);
    }

    private static void Set(float[] v, int at, float x, float y, float score) => (v[at], v[at + 1], v[at + 2]) = (x, y, score);

    [Fact]
    public void CentresOnTheShouldersAndScalesByTheirWidthOverTheClip()
    {
        var sequence = Sequence(2, (v, at) =>
        {
            // Frame 0: shoulders (100,200)-(200,200); frame 1: (110,210)-(230,210). Mean midpoint (160,205), mean width 110.
            Set(v, at(0, KeypointLayout.LeftShoulder), 200, 200, 0.9f);
            Set(v, at(0, KeypointLayout.RightShoulder), 100, 200, 0.9f);
            Set(v, at(1, KeypointLayout.LeftShoulder), 230, 210, 0.9f);
            Set(v, at(1, KeypointLayout.RightShoulder), 110, 210, 0.9f);
            Set(v, at(1, KeypointLayout.RightWrist), 270, 315, 0.8f);
            Set(v, at(1, KeypointLayout.LeftWrist), 50, 50, 0.1f);    // below the threshold: missing
        });
        var result = new float[2 * J * 3];
        PoseNormalisation.Apply(sequence, [0, 1], minScore: 0.3, result);
        var wrist = (1 * J + KeypointLayout.RightWrist) * 3;
        Assert.Equal(1.0, result[wrist], 5);
        Assert.Equal(1.0, result[wrist + 1], 5);
        Assert.Equal(0.8f, result[wrist + 2]);
        var dropped = (1 * J + KeypointLayout.LeftWrist) * 3;
        Assert.Equal([0f, 0f, 0f], result[dropped..(dropped + 3)]);
        var never = (0 * J + KeypointLayout.Nose) * 3;
        Assert.Equal([0f, 0f, 0f], result[never..(never + 3)]);
    }

    [Fact]
    public void WithoutShouldersFallsBackToTheConfidentJointsExtent()
    {
        var sequence = Sequence(1, (v, at) =>
        {
            Set(v, at(0, 100), 10, 20, 1);
            Set(v, at(0, 120), 30, 20, 1);
        });
        var (x, y, scale) = PoseNormalisation.Frame(sequence, [0], 0.3);
        Assert.Equal((20.0, 20.0, 10.0), (x, y, scale));
        var (_, _, empty) = PoseNormalisation.Frame(Sequence(1, (_, _) => { }), [0], 0.3);
        Assert.Equal(1.0, empty);
    }

    [Theory]
    [InlineData(3, 10, 10, 3)]
    [InlineData(0, 50, 25, 0)]
    [InlineData(49, 50, 25, 24)]
    [InlineData(10, 20, 40, 21)]
    public void KeypointFramesAlignWithTheRgbFramesByTime(int frame, int sourceFrames, int keypointFrames, int expected) =>
        Assert.Equal(expected, PoseLoader.Align(frame, sourceFrames, keypointFrames));

    [Fact]
    public void LoaderTakesTheFramesTheRgbClipKept()
    {
        var sequence = Sequence(6, (v, at) =>
        {
            for (var f = 0; f < 6; f++)
            {
                Set(v, at(f, KeypointLayout.LeftShoulder), 2, 0, 1);
                Set(v, at(f, KeypointLayout.RightShoulder), 0, 0, 1);
                Set(v, at(f, KeypointLayout.Nose), 1, f, 1);   // the nose's y tells the frame
            }
        });
        var loader = new PoseLoader(new PoseOptions(), new FrameOptions(), _ => sequence);
        var selection = new FrameSelection();
        selection.Record(6, [1, 4]);
        using var kept = loader.Load(new SignSample { Id = "a", Text = "", FrameCount = 6 }, training: true, new Random(1), selection);
        Assert.Equal(new long[] { 2, J, 3 }, kept.shape);
        Assert.Equal(new[] { 1f / 2, 4f / 2 }, kept[.., KeypointLayout.Nose, 1].data<float>().ToArray());
    }

    [Fact]
    public void ASampleWithoutAKeypointFileIsOneLineNamingIt()
    {
        var loader = new PoseLoader(new PoseOptions(), new FrameOptions());
        var error = Assert.Throws<InputException>(() => loader.Load(new SignSample { Id = "clip-7", Text = "", FrameCount = 3, Origin = "train.tsv:4" }, false, new Random(1)));
        Assert.StartsWith("train.tsv:4: sample 'clip-7': has no keypoint file", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }
}
