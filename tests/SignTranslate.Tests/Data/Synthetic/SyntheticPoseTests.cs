using SignTranslate.Data.Synthetic;

namespace SignTranslate.Tests.Data.Synthetic;

public class SyntheticPoseTests
{
    private static readonly SyntheticPoseOptions Perfect = new() { Noise = 0, DroppedJoints = 0, LowScores = 0 };

    /// <summary>Large noiseless frames, so a keypoint's pixel shows what is drawn there.</summary>
    private static readonly SyntheticOptions Sharp = SyntheticDatasetTests.Tiny with
    {
        PixelNoise = 0, FrameWidth = 128, FrameHeight = 112, Pose = Perfect,
    };

    [Fact]
    public void EveryRightHandJointLiesOnTheDrawnDominantHandDuringEverySign()
    {
        var dataset = SyntheticDataset.Create(Sharp);
        var (checkedJoints, checkedFrames) = (0, 0);
        for (var index = 0; index < 6; index++)
        {
            var plan = dataset.Plans("train")[index];
            var frames = dataset.RenderFrames("train", index);
            var keypoints = dataset.Keypoints("train", index);
            Assert.Equal(plan.FrameCount, keypoints.Frames);
            foreach (var span in plan.Spans)
            {
                var colour = SignAppearance.HandColours[dataset.Lexicon[span.Gloss].DominantColour];
                for (var t = span.Start; t < span.End; t++)
                {
                    checkedFrames++;
                    foreach (var joint in Enumerable.Range(KeypointLayout.RightHand.Start, 21).Append(KeypointLayout.RightWrist))
                    {
                        if (keypoints.Score(t, joint) == 0) continue; // out of the frame
                        Assert.Equal(colour, PixelAt(frames, t, keypoints.X(t, joint), keypoints.Y(t, joint)));
                        checkedJoints++;
                    }
                }
            }
        }
        Assert.True(checkedFrames >= 100, $"only {checkedFrames} sign frames");
        Assert.True(checkedJoints >= 20 * checkedFrames, $"only {checkedJoints} joints in view over {checkedFrames} frames");
    }

    [Fact]
    public void TheHeadsLandmarksShowSkinUnlessAHandCoversThem()
    {
        var dataset = SyntheticDataset.Create(Sharp);
        var plan = dataset.Plans("dev")[0];
        var frames = dataset.RenderFrames("dev", 0);
        var keypoints = dataset.Keypoints("dev", 0);
        var head = Enumerable.Range(KeypointLayout.Face.Start, 68).Concat([KeypointLayout.Nose, KeypointLayout.LeftEye, KeypointLayout.RightEye]).ToArray();
        var onSkin = Enumerable.Range(0, plan.FrameCount)
            .SelectMany(t => head.Select(j => PixelAt(frames, t, keypoints.X(t, j), keypoints.Y(t, j)) == plan.Signer.Skin))
            .ToList();
        Assert.True(onSkin.Count(x => x) > 0.8 * onSkin.Count, $"{onSkin.Count(x => x)} of {onSkin.Count} head landmarks on skin");
    }

    [Fact]
    public void PerfectDetectorGivesTheExactBodyGeometry()
    {
        var dataset = SyntheticDataset.Create(Sharp);
        var plan = dataset.Plans("train")[3];
        var keypoints = dataset.Keypoints("train", 3);
        var frame = SignerFrame.For(plan.Signer, 128, 112);
        for (var t = 0; t < plan.FrameCount; t++)
        {
            // The signer's right shoulder is the torso's top corner on the image's left.
            Assert.Equal((float)frame.ToPixelX(SignerBody.TorsoLeft), keypoints.X(t, KeypointLayout.RightShoulder));
            Assert.Equal((float)frame.ToPixelX(SignerBody.TorsoRight), keypoints.X(t, KeypointLayout.LeftShoulder));
            Assert.Equal((float)frame.ToPixelY(SignerBody.TorsoTop), keypoints.Y(t, KeypointLayout.RightShoulder));
            Assert.Equal((float)frame.ToPixelX(SignerBody.HeadX), keypoints.X(t, KeypointLayout.Nose));
            Assert.True(keypoints.X(t, KeypointLayout.RightEye) < keypoints.X(t, KeypointLayout.Nose));
            Assert.True(keypoints.X(t, KeypointLayout.LeftEar) > keypoints.X(t, KeypointLayout.LeftEye));
            // Wrists are the hands' wrist joints; elbows bend below the shoulder and outward of the arm's line.
            Assert.Equal(keypoints.X(t, KeypointLayout.RightHand.Start), keypoints.X(t, KeypointLayout.RightWrist));
            Assert.Equal(keypoints.Y(t, KeypointLayout.LeftHand.Start), keypoints.Y(t, KeypointLayout.LeftWrist));
            Assert.True(keypoints.Y(t, KeypointLayout.RightElbow) > keypoints.Y(t, KeypointLayout.RightShoulder) + 0.05 * frame.Scale);
            Assert.True(keypoints.Y(t, KeypointLayout.LeftElbow) > keypoints.Y(t, KeypointLayout.LeftShoulder) + 0.05 * frame.Scale);
            Assert.True(keypoints.X(t, KeypointLayout.RightElbow) < Math.Max(keypoints.X(t, KeypointLayout.RightShoulder), keypoints.X(t, KeypointLayout.RightWrist)));
            Assert.True(keypoints.X(t, KeypointLayout.LeftElbow) > Math.Min(keypoints.X(t, KeypointLayout.LeftShoulder), keypoints.X(t, KeypointLayout.LeftWrist)));
            // Legs and feet are never drawn: below the frame, score 0; the visible upper body scores 1.
            for (var joint = 13; joint < 23; joint++)
            {
                Assert.Equal(0, keypoints.Score(t, joint));
                Assert.True(keypoints.Y(t, joint) > 112);
            }
            foreach (var joint in new[] { KeypointLayout.Nose, KeypointLayout.LeftShoulder, KeypointLayout.RightShoulder })
                Assert.InRange(keypoints.Score(t, joint), 0.85f, 1f);
        }
    }

    [Fact]
    public void TheSameSeedGivesTheSameKeypointsAndTheDetectorStreamLeavesPixelsAlone()
    {
        var a = SyntheticDataset.Create(SyntheticDatasetTests.Tiny);
        var b = SyntheticDataset.Create(SyntheticDatasetTests.Tiny);
        Assert.Equal(a.Keypoints("test", 2).Values, b.Keypoints("test", 2).Values);
        Assert.NotEqual(a.Keypoints("test", 2).Values, SyntheticDataset.Create(SyntheticDatasetTests.Tiny with { Seed = 6 }).Keypoints("test", 2).Values);
        var noisier = SyntheticDataset.Create(SyntheticDatasetTests.Tiny with { Pose = new() { Noise = 0.05, DroppedJoints = 0.3, LowScores = 0.3 } });
        Assert.Equal(a.RenderFrames("test", 2), noisier.RenderFrames("test", 2));
        Assert.NotEqual(a.Keypoints("test", 2).Values, noisier.Keypoints("test", 2).Values);
    }

    [Fact]
    public void DetectorImperfectionsHappenAtTheConfiguredRates()
    {
        var pose = new SyntheticPoseOptions { Noise = 0.02, DroppedJoints = 0.1, LowScores = 0.2 };
        var options = SyntheticDatasetTests.Tiny with { FrameWidth = 64, FrameHeight = 64 };
        var noisy = SyntheticDataset.Create(options with { Pose = pose });
        var exact = SyntheticDataset.Create(options with { Pose = Perfect });
        var (joints, dropped, visible, low, confident) = (0, 0, 0, 0, 0);
        var (squares, squaresCount) = (0.0, 0);
        for (var index = 0; index < 12; index++)
        {
            var size = noisy.Plans("train")[index].Signer.Size * 64;
            var seen = noisy.Keypoints("train", index);
            var truth = exact.Keypoints("train", index);
            for (var t = 0; t < seen.Frames; t++)
            for (var j = 0; j < KeypointLayout.Joints; j++)
            {
                joints++;
                if (seen.X(t, j) == 0 && seen.Y(t, j) == 0 && seen.Score(t, j) == 0) { dropped++; continue; }
                if (truth.Score(t, j) == 0) { Assert.Equal(0, seen.Score(t, j)); continue; }
                visible++;
                if (seen.Score(t, j) < 0.3) { low++; continue; }
                confident++;
                Assert.InRange(seen.Score(t, j), 0.85f, 1f);
                var (dx, dy) = ((seen.X(t, j) - truth.X(t, j)) / size, (seen.Y(t, j) - truth.Y(t, j)) / size);
                squares += dx * dx + dy * dy;
                squaresCount += 2;
            }
        }
        Assert.True(joints > 50_000, $"{joints} joints");
        Assert.InRange((double)dropped / joints, 0.09, 0.11);
        Assert.InRange((double)low / visible, 0.18, 0.22);
        Assert.InRange(Math.Sqrt(squares / squaresCount), 0.019, 0.021);
    }

    [Fact]
    public void TheDominantHandsShapeCanBeToldFromItsKeypoints()
    {
        var dataset = SyntheticDataset.Create(SyntheticDatasetTests.Tiny with { FrameWidth = 96, FrameHeight = 96 });
        var templates = Enum.GetValues<HandShape>().ToDictionary(s => s, s => HandJoints.Of(s, mirrored: true).ToArray());
        var (right, total) = (0, 0);
        var seenShapes = new HashSet<HandShape>();
        for (var index = 0; index < 12; index++)
        {
            var plan = dataset.Plans("train")[index];
            var keypoints = dataset.Keypoints("train", index);
            foreach (var span in plan.Spans)
            {
                var shape = dataset.Lexicon[span.Gloss].DominantShape;
                var t = (span.Start + span.End) / 2;
                // Only confident joints count: a detector's dropped and uncertain joints say nothing about the shape.
                var joints = Enumerable.Range(0, 21).Where(j => keypoints.Score(t, KeypointLayout.RightHand.Start + j) >= 0.85f)
                    .Select(j => (j, (double)keypoints.X(t, KeypointLayout.RightHand.Start + j), (double)keypoints.Y(t, KeypointLayout.RightHand.Start + j)))
                    .ToArray();
                if (joints.Length < 15) continue;
                var recognised = templates.MinBy(template => FitError(template.Value, joints)).Key;
                total++;
                seenShapes.Add(shape);
                if (recognised == shape) right++;
            }
        }
        Assert.Equal(4, seenShapes.Count);
        Assert.True(right >= 0.9 * total, $"{right} of {total} hands recognised");
    }

    [Fact]
    public void HandShapeTemplatesDifferClearly()
    {
        var shapes = Enum.GetValues<HandShape>();
        foreach (var a in shapes)
            foreach (var b in shapes.Where(b => b > a))
                Assert.True(SquaredDistance(Normalise(HandJoints.Of(a, false).ToArray()), Normalise(HandJoints.Of(b, false).ToArray())) > 1,
                    $"{a} and {b} look alike");
    }

    [Fact]
    public void PoseOptionsAreValidatedByName()
    {
        var problems = (SyntheticDatasetTests.Tiny with { Pose = new() { Noise = -0.1, DroppedJoints = 1.5, LowScores = double.NaN } })
            .Validate().Select(p => p.Key).ToList();
        Assert.Equal(["pose.noise", "pose.dropped_joints", "pose.low_scores"], problems);
        var error = Assert.Throws<InputException>(() => SyntheticDataset.Create(SyntheticDatasetTests.Tiny with { Pose = new() { Noise = 1 } }));
        Assert.Equal("synthetic.pose.noise must be in [0, 0.5], got 1", error.Message);
    }

    /// <summary>The RGB of the pixel that contains (x, y) in a [T, 3, H, W] video.</summary>
    private static (byte R, byte G, byte B) PixelAt(byte[] video, int t, float x, float y)
    {
        var (width, height) = (Sharp.FrameWidth, Sharp.FrameHeight);
        var plane = width * height;
        var at = t * 3 * plane + (int)Math.Floor(y) * width + (int)Math.Floor(x);
        return (video[at], video[at + plane], video[at + 2 * plane]);
    }

    /// <summary>Centred on the joints' mean, scaled to unit mean distance from it: shape only, not place or size.</summary>
    private static (double X, double Y)[] Normalise((double X, double Y)[] joints)
    {
        var (mx, my) = (joints.Average(j => j.X), joints.Average(j => j.Y));
        var scale = joints.Average(j => Math.Sqrt((j.X - mx) * (j.X - mx) + (j.Y - my) * (j.Y - my)));
        return joints.Select(j => ((j.X - mx) / scale, (j.Y - my) / scale)).ToArray();
    }

    /// <summary>
    /// How far <paramref name="joints"/> (index, x, y) are from the template placed at its best position and size
    /// (least squares), relative to that size.
    /// </summary>
    private static double FitError((double X, double Y)[] template, (int Joint, double X, double Y)[] joints)
    {
        var (tx, ty) = (joints.Average(j => template[j.Joint].X), joints.Average(j => template[j.Joint].Y));
        var (ox, oy) = (joints.Average(j => j.X), joints.Average(j => j.Y));
        var cross = joints.Sum(j => (template[j.Joint].X - tx) * (j.X - ox) + (template[j.Joint].Y - ty) * (j.Y - oy));
        var norm = joints.Sum(j => Math.Pow(template[j.Joint].X - tx, 2) + Math.Pow(template[j.Joint].Y - ty, 2));
        var size = Math.Max(cross / norm, 1e-9);
        var residual = joints.Sum(j => Math.Pow(ox + size * (template[j.Joint].X - tx) - j.X, 2) + Math.Pow(oy + size * (template[j.Joint].Y - ty) - j.Y, 2));
        return residual / (size * size);
    }

    private static double SquaredDistance((double X, double Y)[] a, (double X, double Y)[] b) =>
        a.Zip(b).Sum(p => (p.First.X - p.Second.X) * (p.First.X - p.Second.X) + (p.First.Y - p.Second.Y) * (p.First.Y - p.Second.Y));
}
