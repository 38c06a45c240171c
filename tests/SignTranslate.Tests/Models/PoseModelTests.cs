using SignTranslate.Data;
using SignTranslate.Losses;
using SignTranslate.Models;
using static TorchSharp.torch;

namespace SignTranslate.Tests.Models;

/// <summary>The pose stream in the models: shapes, parameter names, padding, gradients and the fusions.</summary>
public class PoseModelTests
{
    private static readonly long[] Lengths = [20, 17];

    [Fact]
    public void PoseEncoderGivesFrameFeaturesAndFillsPaddingWithThePadValue()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        var encoder = new PoseEncoder(new PoseEncoderOptions { GroupSize = 6 }, featureSize: 8, padValue: 1.0);
        var features = encoder.call(randn(Lengths.Sum(), KeypointLayout.Joints, 3), tensor(Lengths));
        Assert.Equal(new long[] { 2, 20, 8 }, features.shape);
        Assert.True(features[1, 17..].eq(1.0).all().item<bool>());
        Assert.False(features[1, ..17].eq(1.0).all().item<bool>());
    }

    [Fact]
    public void AVideosFeaturesDoNotDependOnTheOtherVideosOfTheBatch()
    {
        using var scope = NewDisposeScope();
        manual_seed(4);
        var encoder = new PoseEncoder(new PoseEncoderOptions { GroupSize = 6 }, featureSize: 8, padValue: 0);
        var keypoints = randn(Lengths.Sum(), KeypointLayout.Joints, 3);
        var together = encoder.call(keypoints, tensor(Lengths));
        var alone = encoder.call(keypoints[..20], tensor(new long[] { 20 }));
        Assert.True(together[0].allclose(alone[0], rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void TheTemporalKernelIsADepthwiseConvolutionOverFrames()
    {
        using var scope = NewDisposeScope();
        manual_seed(8);
        const int groupSize = 2, kernel = 3;
        var encoder = new PoseEncoder(new PoseEncoderOptions { GroupSize = groupSize, TemporalKernel = kernel }, featureSize: 3, padValue: 0);
        var weight = encoder.get_parameter("temporal_weight")!;                                 // [4C,K]
        var bias = encoder.get_parameter("temporal_bias")!;
        // Features of one video: 4 groups × C channels, 5 frames.
        var x = randn(1, 4 * groupSize, 5);
        var temporal = encoder.Temporal(x);
        for (var c = 0; c < 4 * groupSize; c++)
            for (var t = 0; t < 5; t++)
            {
                var sum = bias[c].item<float>();
                for (var k = 0; k < kernel; k++)
                {
                    var source = t + k - kernel / 2;   // zero padding outside the video
                    if (source is >= 0 and < 5) sum += weight[c, k].item<float>() * x[0, c, source].item<float>();
                }
                Assert.Equal(x[0, c, t].item<float>() + Math.Max(0, sum), temporal[0, c, t].item<float>(), 5);
            }
    }

    [Fact]
    public void HandFeaturesSeeTheHandShapeApartFromWhereTheHandIs()
    {
        using var scope = NewDisposeScope();
        var group = new PoseGroup(KeypointLayout.RightHand, KeypointLayout.RightHand.Start, 4, "right_hand");
        var keypoints = zeros(2, KeypointLayout.Joints, 3);
        var hand = KeypointLayout.RightHand;
        keypoints[.., hand.Start..hand.End, 2] = tensor(1f);
        keypoints[0, hand.Start..hand.End, ..2] = randn(hand.Count, 2);
        keypoints[1, hand.Start..hand.End, ..2] = keypoints[0, hand.Start..hand.End, ..2] + tensor(new[] { 3f, -2f });
        // The spatial block's input: absolute x, y, score then x, y relative to the wrist; the relative half is the same.
        var relative = new List<Tensor>();
        for (var frame = 0; frame < 2; frame++)
        {
            var part = keypoints[frame, hand.Start..hand.End, ..2];
            relative.Add(part - part[..1]);
        }
        Assert.True(relative[0].allclose(relative[1], atol: 1e-5));
        Assert.Equal(new long[] { 2, 4 }, group.Spatial(keypoints).shape);
    }

    [Theory]
    [InlineData(ModelInput.Pose, StreamFusion.Sum)]
    [InlineData(ModelInput.RgbPose, StreamFusion.Sum)]
    [InlineData(ModelInput.RgbPose, StreamFusion.Gated)]
    public void SltModelReadsItsInputAndEveryParameterGetsAGradient(ModelInput input, StreamFusion fusion)
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        var model = new SltModel(Tiny(input, fusion));
        model.train();
        var inputs = Inputs(input);
        var labels = tensor(new long[] { 5, 6, 7, 2, 19, 8, 9, 2, 19, 1 }, new long[] { 2, 5 });
        var output = model.Forward(inputs, tensor(Lengths), FeatureExtractor.OutputMask(Lengths), labels, labels.ne(1).to(ScalarType.Int64));
        Assert.Equal(new long[] { 2, 5, 20 }, output.Logits.shape);
        Assert.Equal(new long[] { 2, 20, 8 }, output.FrameFeatures.shape);
        nn.functional.cross_entropy(output.Logits.reshape(-1, 20), labels.reshape(-1), ignore_index: 1).backward();

        var names = model.named_parameters().Select(p => p.name).ToList();
        Assert.Equal(input != ModelInput.Pose, names.Any(n => n.StartsWith("backbone.conv_2d.", StringComparison.Ordinal)));
        Assert.Contains("backbone.pose_encoder.right_hand.spatial.0.weight", names);
        Assert.Contains("backbone.pose_encoder.temporal_weight", names);
        Assert.Equal(fusion == StreamFusion.Gated, names.Contains("backbone.fusion.gate.weight"));
        foreach (var (name, p) in model.named_parameters().Where(p => p.name.Contains("pose_encoder") || p.name.Contains("fusion")))
            Assert.True(p.grad is not null && p.grad.abs().sum().item<float>() > 0, name);
    }

    [Fact]
    public void AModelThatReadsKeypointsSaysSoWhenGivenFramesOnly()
    {
        using var scope = NewDisposeScope();
        var model = new SltModel(Tiny(ModelInput.Pose, StreamFusion.Sum));
        var error = Assert.Throws<ArgumentException>(() => model.Embed(SignInputs.Rgb(randn(Lengths.Sum(), 3, 16, 16)), tensor(Lengths)));
        Assert.Contains("needs keypoints", error.Message);
    }

    [Fact]
    public void VlpModelOnPoseGivesTheClipLogits()
    {
        using var scope = NewDisposeScope();
        manual_seed(6);
        var mbart = TinyMBart();
        var options = Tiny(ModelInput.Pose, StreamFusion.Sum) with { VisualEncoder = mbart, TextEncoder = mbart };
        var model = new VlpModel(options);
        var ids = tensor(new long[] { 5, 6, 7, 2, 8, 9, 2, 1 }, new long[] { 2, 4 });
        var output = model.Forward(Inputs(ModelInput.Pose), tensor(Lengths), FeatureExtractor.OutputMask(Lengths), ids, ids.ne(1).to(ScalarType.Int64));
        Assert.Equal(new long[] { 2, 2 }, output.LogitsPerImage.shape);
        Assert.True(ClipKlLoss.Compute(output.LogitsPerImage, output.LogitsPerText).item<float>() >= 0);
    }

    [Fact]
    public void GatedFusionStartsHalfOpenAndSumAddsTheStreams()
    {
        using var scope = NewDisposeScope();
        var rgb = randn(2, 3, 4);
        var pose = randn(2, 3, 4);
        Assert.True(new StreamFusionBlock(StreamFusion.Sum, 4).Forward(rgb, pose).allclose(rgb + pose));
        var gated = new StreamFusionBlock(StreamFusion.Gated, 4);
        foreach (var p in gated.parameters().Where(p => p.dim() == 2))
            using (no_grad()) p.zero_();
        Assert.True(gated.Forward(rgb, pose).allclose(rgb + 0.5 * pose, atol: 1e-6));
    }

    [Fact]
    public void CollationPadsKeypointsLikeFrames()
    {
        using var scope = NewDisposeScope();
        var frames = new[] { randn(5, 3, 4, 4), randn(3, 3, 4, 4) };
        var keypoints = new[] { randn(5, KeypointLayout.Joints, 3), randn(3, KeypointLayout.Joints, 3) };
        using var batch = VideoCollator.Collate(frames, keypoints, PaddingScheme.Reference);
        Assert.Equal(batch.Frames!.shape[0], batch.Keypoints!.shape[0]);
        Assert.Equal(new long[] { 24 + 20, KeypointLayout.Joints, 3 }, batch.Keypoints.shape);
        // 8 copies of the first frame, the clip, then copies of the last frame, as for RGB.
        Assert.True(batch.Keypoints[..8].eq(keypoints[0][..1]).all().item<bool>());
        Assert.True(batch.Keypoints[8..13].eq(keypoints[0]).all().item<bool>());
        Assert.True(batch.Keypoints[13..24].eq(keypoints[0][^1..]).all().item<bool>());
        using var poseOnly = VideoCollator.Collate(null, keypoints, PaddingScheme.None);
        Assert.Null(poseOnly.Frames);
        Assert.Equal(new[] { 5, 3 }, poseOnly.FrameCounts);
    }

    private static SignInputs Inputs(ModelInput input) => new(
        input == ModelInput.Pose ? null : randn(Lengths.Sum(), 3, 16, 16),
        randn(Lengths.Sum(), KeypointLayout.Joints, 3));

    private static MBartOptions TinyMBart() => new()
    {
        VocabSize = 20, DModel = 16, EncoderLayers = 1, DecoderLayers = 1, EncoderAttentionHeads = 2, DecoderAttentionHeads = 2,
        EncoderFfnDim = 16, DecoderFfnDim = 16, MaxPositionEmbeddings = 32, ActivationFunction = "relu", ScaleEmbedding = true,
        TieWordEmbeddings = false,
    };

    private static ModelOptions Tiny(ModelInput input, StreamFusion fusion) => new()
    {
        Input = input,
        Pose = new PoseEncoderOptions { GroupSize = 6, Fusion = fusion },
        Visual = new VisualBackboneOptions { FrameEncoder = FrameEncoderKind.SmallCnn, FrameFeatureSize = 8, SmallCnnWidth = 4, TemporalHiddenSize = 16 },
        Mbart = TinyMBart(),
    };
}

public class PoseTransferTests
{
    [Theory]
    [InlineData(StreamFusion.Sum)]
    [InlineData(StreamFusion.Gated)]
    public void FinetuningTakesEveryPoseEncoderAndFusionWeightFromPretraining(StreamFusion fusion)
    {
        using var scope = NewDisposeScope();
        var mbart = new MBartOptions
        {
            VocabSize = 20, DModel = 16, EncoderLayers = 1, DecoderLayers = 1, EncoderAttentionHeads = 2, DecoderAttentionHeads = 2,
            EncoderFfnDim = 16, DecoderFfnDim = 16, MaxPositionEmbeddings = 32, ActivationFunction = "relu",
        };
        var options = new ModelOptions
        {
            Input = ModelInput.RgbPose, Pose = new PoseEncoderOptions { GroupSize = 6, Fusion = fusion }, Mbart = mbart, VisualEncoder = mbart, TextEncoder = mbart,
            Visual = new VisualBackboneOptions { FrameEncoder = FrameEncoderKind.SmallCnn, FrameFeatureSize = 8, SmallCnnWidth = 4, TemporalHiddenSize = 16 },
        };
        var vlp = new VlpModel(options).state_dict();
        var slt = new SltModel(options).state_dict();
        var mapped = SignTranslate.Checkpoints.Pretrained.VlpToSltTransfer.Map(vlp, null, null, new VlpTransferOptions())
            .ToDictionary(w => w.TargetKey);
        var streamKeys = slt.Keys.Where(k => k.StartsWith("backbone.pose_encoder.", StringComparison.Ordinal) || k.StartsWith("backbone.fusion.", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(streamKeys);
        foreach (var key in streamKeys)
        {
            Assert.True(mapped.TryGetValue(key, out var weight), key);
            Assert.True(weight.Value.eq(vlp["model_images.model." + key["backbone.".Length..]]).all().item<bool>(), key);
        }
    }
}
