using SignTranslate.Models;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SignTranslate.Tests.Models;

/// <summary>
/// The memory savers change what is kept between forward and backward, never the step's result: a checkpointed or
/// chunked pass gives the plain pass's outputs, gradients and BatchNorm running statistics. The runs compared start
/// from the same global random state, which parallel test classes would disturb.
/// </summary>
[Collection(ProcessStateCollection.Name)]
public class ActivationCheckpointTests
{
    [Fact]
    public void ACheckpointedSegmentWithDropoutReplaysItsRandomDrawsInBackward()
    {
        var (plainOutput, plainGrads) = RunDropoutNet(checkpoint: false);
        var (checkpointedOutput, checkpointedGrads) = RunDropoutNet(checkpoint: true);

        Assert.Equal(plainOutput, checkpointedOutput);
        Assert.Equal(plainGrads.Count, checkpointedGrads.Count);
        for (var i = 0; i < plainGrads.Count; i++) Assert.Equal(plainGrads[i], checkpointedGrads[i]);
        // Dropout 0.5 zeroed some hidden units: a replay with other draws would give other gradients.
        Assert.Contains(0f, plainGrads[1]);
    }

    [Theory]
    [InlineData(3)]    // chunks of 3, 3, 3, 1 frames in the stem
    [InlineData(0)]    // the default stem chunk: all 10 frames in one
    public void ACheckpointedResNetTrainsExactlyAsThePlainOne(int frameChunk)
    {
        var plain = RunResNet(checkpoint: false, frameChunk: 0);
        var checkpointed = RunResNet(checkpoint: true, frameChunk);

        AssertClose(plain.Output, checkpointed.Output, "features");
        Assert.Equal(plain.Gradients.Keys, checkpointed.Gradients.Keys);
        var scale = GradientScale(plain);
        foreach (var (name, gradient) in plain.Gradients) AssertClose(gradient, checkpointed.Gradients[name], name, scale);
        foreach (var (name, buffer) in plain.Buffers) AssertClose(buffer, checkpointed.Buffers[name], name);
        Assert.Equal(1L, checkpointed.Buffers["bn1.num_batches_tracked"].item<long>());
        Assert.Equal(1L, checkpointed.Buffers["layer1.0.bn1.num_batches_tracked"].item<long>());
    }

    [Fact]
    public void CheckpointedTransformerLayersWithDropoutTrainAsThePlainOnes()
    {
        var plain = RunSlt(checkpointLayers: false);
        var checkpointed = RunSlt(checkpointLayers: true);

        AssertClose(plain.Output, checkpointed.Output, "logits");
        Assert.Equal(plain.Gradients.Keys, checkpointed.Gradients.Keys);
        // A bias followed by BatchNorm has a gradient of rounding noise only: gradients compare at the model's scale.
        var scale = GradientScale(plain);
        foreach (var (name, gradient) in plain.Gradients) AssertClose(gradient, checkpointed.Gradients[name], name, scale);
    }

    [Fact]
    public void AChunkedEvaluationForwardGivesThePlainFeatures()
    {
        manual_seed(5);
        using var model = new ResNet18();
        model.eval();
        using var frames = randn(7, 3, 32, 32, generator: new Generator(11));
        using var _ = no_grad();
        using var whole = model.call(frames);
        model.FrameChunk = 2;
        using var chunked = model.call(frames);
        Assert.Equal(new long[] { 7, 512 }, chunked.shape);
        AssertClose(whole, chunked, "features");
    }

    private static (float[] Output, List<float[]> Gradients) RunDropoutNet(bool checkpoint)
    {
        manual_seed(1);
        using var net = Sequential(Linear(8, 16), ReLU(), Dropout(0.5), Linear(16, 4));
        net.train();
        using var x = randn(5, 8, generator: new Generator(2)).requires_grad_();
        manual_seed(3);
        using var y = checkpoint
            ? ActivationCheckpoint.Run(net, inputs => net.call(inputs[0]), stochastic: true, x)
            : net.call(x);
        using var loss = (y * y).sum();
        loss.backward();
        var gradients = new List<float[]> { x.grad!.data<float>().ToArray() };
        gradients.AddRange(net.parameters().Select(p => p.grad!.data<float>().ToArray()));
        return (y.detach().data<float>().ToArray(), gradients);
    }

    private sealed record ModelRun(Tensor Output, Dictionary<string, Tensor> Gradients, Dictionary<string, Tensor> Buffers);

    private static ModelRun RunResNet(bool checkpoint, int frameChunk)
    {
        manual_seed(4);
        var model = new ResNet18 { CheckpointActivations = checkpoint, FrameChunk = frameChunk };
        model.train();
        var frames = randn(10, 3, 32, 32, generator: new Generator(6));
        var weights = randn(10, 512, generator: new Generator(7));
        var output = model.call(frames);
        (output * weights).sum().backward();
        return new ModelRun(output.detach(),
            model.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.clone()),
            model.named_buffers().ToDictionary(b => b.name, b => b.buffer.clone()));
    }

    private static ModelRun RunSlt(bool checkpointLayers)
    {
        var mbart = new MBartOptions
        {
            VocabSize = 20, DModel = 16, EncoderLayers = 2, DecoderLayers = 2, EncoderAttentionHeads = 2, DecoderAttentionHeads = 2,
            EncoderFfnDim = 16, DecoderFfnDim = 16, MaxPositionEmbeddings = 32, ActivationFunction = "relu",
            Dropout = 0.3, AttentionDropout = 0.2, ActivationDropout = 0.1,
        };
        var visual = new VisualBackboneOptions { FrameEncoder = FrameEncoderKind.SmallCnn, FrameFeatureSize = 8, SmallCnnWidth = 4, TemporalHiddenSize = 16 };
        manual_seed(8);
        var model = new SltModel(new ModelOptions { Visual = visual, Mbart = mbart, Memory = new MemoryOptions { CheckpointTransformerLayers = checkpointLayers } });
        model.train();
        var lengths = new long[] { 24, 20 };
        var frames = randn(lengths.Sum(), 3, 16, 16, generator: new Generator(9));
        var labels = tensor(new long[] { 5, 6, 7, 2, 19, 8, 9, 2, 19, 1 }, new long[] { 2, 5 });
        var labelMask = labels.ne(1).to(ScalarType.Int64);
        manual_seed(10);
        var logits = model.Forward(frames, tensor(lengths), FeatureExtractor.OutputMask(lengths), labels, labelMask).Logits;
        logits.square().sum().backward();
        return new ModelRun(logits.detach(),
            model.named_parameters().Where(p => p.parameter.grad is not null).ToDictionary(p => p.name, p => p.parameter.grad!.clone()),
            []);
    }

    private static double GradientScale(ModelRun run) => run.Gradients.Values.Max(g => g.abs().max().to(ScalarType.Float64).item<double>());

    // |expected − actual| ≤ 1e-4 · scale, the scale being max |expected| unless given.
    private static void AssertClose(Tensor expected, Tensor actual, string what, double? scaleOfValues = null)
    {
        Assert.Equal(expected.shape, actual.shape);
        var scale = scaleOfValues ?? Math.Max(expected.abs().max().to(ScalarType.Float64).item<double>(), 1e-6);
        var difference = (expected.to(ScalarType.Float64) - actual.to(ScalarType.Float64)).abs().max().item<double>();
        Assert.True(difference <= 1e-4 * scale, $"{what}: max |difference| {difference:E2} against max |value| {scale:E2}");
    }
}
