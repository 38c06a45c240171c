using SignTranslate.Models;
using static TorchSharp.torch;

namespace SignTranslate.Tests.Models;

/// <summary>ResNet-18, TemporalConv and the FeatureExtracter pipeline against the PyTorch reference vectors.</summary>
public class VisualBackboneParityTests
{
    private const string ResNetCases = "resnet18_cases.safetensors";

    public static TheoryData<string, string> ResNetCaseNames => ModelVectors.Cases(f => f == ResNetCases);
    public static TheoryData<string, string> TemporalConvCaseNames =>
        ModelVectors.Cases(f => f.StartsWith("temporal_conv_", StringComparison.Ordinal) && f.EndsWith("_cases.safetensors", StringComparison.Ordinal));
    public static TheoryData<string, string> FeatureExtractorCaseNames => ModelVectors.Cases(f => f == "feature_extracter_cases.safetensors");

    [Theory]
    [MemberData(nameof(ResNetCaseNames))]
    public void ResNet18MatchesReference(string file, string caseName)
    {
        using var scope = NewDisposeScope();
        var resnetWeights = ModelVectors.Metadata(file, "weights_file");
        var model = new ResNet18();
        ModelVectors.LoadWeights(model, resnetWeights);
        Tensor Case(string name) => ModelVectors.Tensor(file, $"{caseName}.{name}");

        if (caseName == "lengths")
        {
            // The reference wrapper: per-video split, padded to the longest with 1.0.
            var wrapper = new VideoFrameEncoder(VisualBackboneOptions.Faithful);
            ModelVectors.LoadWeights(wrapper, resnetWeights, key => "resnet." + key);
            wrapper.eval();
            using var _ = no_grad();
            var output = wrapper.call(Case("frames"), Case("lengths"));
            Check(file, caseName, "output", Case("output"), output);
            return;
        }

        var train = caseName.StartsWith("train", StringComparison.Ordinal);
        model.train(train);
        using (no_grad())
        {
            var output = model.call(Case("input"));
            Check(file, caseName, "output", Case("output"), output);
        }
        if (train)
            CheckBuffersAfterTrainStep(file, model);
    }

    [Theory]
    [MemberData(nameof(TemporalConvCaseNames))]
    public void TemporalConvMatchesReference(string file, string caseName)
    {
        using var scope = NewDisposeScope();
        var weightsFile = ModelVectors.Metadata(file, "weights_file");
        var weight0 = ModelVectors.Tensor(weightsFile, "temporal_conv.0.weight");   // [H,C,5]
        var model = new TemporalConv((int)weight0.shape[1], (int)weight0.shape[0]);
        ModelVectors.LoadWeights(model, weightsFile);
        var train = caseName.StartsWith("train", StringComparison.Ordinal);
        model.train(train);
        using (no_grad())
        {
            var input = ModelVectors.Tensor(file, $"{caseName}.input");
            var output = model.Forward(input, null);
            Assert.Equal(TemporalConv.OutputLength(input.shape[1]), output.shape[1]);
            Check(file, caseName, "output", ModelVectors.Tensor(file, $"{caseName}.output"), output);
        }
        if (train)
            CheckBuffersAfterTrainStep(file, model);
    }

    [Theory]
    [MemberData(nameof(FeatureExtractorCaseNames))]
    public void FeatureExtractorMatchesReference(string file, string caseName)
    {
        using var scope = NewDisposeScope();
        var temporalWeights = ModelVectors.Metadata(file, "temporal_conv_weights_file");
        var resnetWeights = ModelVectors.Metadata(file, "resnet_weights_file");
        var hidden = (int)ModelVectors.Tensor(temporalWeights, "temporal_conv.0.weight").shape[0];
        var model = new FeatureExtractor(VisualBackboneOptions.Faithful with { TemporalHiddenSize = hidden });
        ModelVectors.LoadWeights(model.FrameEncoder, resnetWeights, key => "resnet." + key);
        ModelVectors.LoadWeights(model.TemporalConv, temporalWeights);
        model.eval();
        using var _ = no_grad();
        var prefix = caseName == "pipeline" ? "" : caseName + ".";
        var result = model.call(SignInputs.Rgb(ModelVectors.Tensor(file, prefix + "frames")), ModelVectors.Tensor(file, prefix + "lengths"));
        Check(file, caseName, "resnet_features", ModelVectors.Tensor(file, prefix + "resnet_features"), result.FrameFeatures);
        Check(file, caseName, "output", ModelVectors.Tensor(file, prefix + "output"), result.Features);
    }

    [Fact]
    public void CorrectedPaddingUsesZeroAndMaskFollowsTemporalConvLengths()
    {
        using var scope = NewDisposeScope();
        var encoder = new VideoFrameEncoder(VisualBackboneOptions.Default with { FrameEncoder = FrameEncoderKind.SmallCnn, FrameFeatureSize = 8, SmallCnnWidth = 4 });
        encoder.eval();
        using var _ = no_grad();
        var features = encoder.call(randn(5, 3, 16, 16), tensor(new long[] { 3, 2 }));
        Assert.Equal(new long[] { 2, 3, 8 }, features.shape);
        Assert.Equal(0.0, features[1, 2].abs().sum().item<float>());

        var mask = FeatureExtractor.OutputMask(new long[] { 24, 20, 16 });
        Assert.Equal(new long[] { 3, 3 }, mask.shape);
        Assert.Equal(new long[] { 1, 1, 1, 1, 1, 0, 1, 0, 0 }, mask.data<long>().ToArray());
    }

    private static void CheckBuffersAfterTrainStep(string file, nn.Module model)
    {
        var state = model.state_dict();
        var after = ModelVectors.Tensors(file).Where(kv => kv.Key.StartsWith("train.after.", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(after);
        foreach (var (name, expected) in after)
        {
            var key = name["train.after.".Length..];
            Assert.True(state.ContainsKey(key), $"model has no buffer {key}");
            if (expected.dtype == ScalarType.Int64)
                TensorAssert.Equal(expected, state[key], key);
            else
            {
                var (atol, rtol) = ModelVectors.Tolerance(file, name);
                TensorAssert.Close(expected, state[key], atol, rtol, $"{file} {key}");
            }
        }
    }

    private static void Check(string file, string caseName, string tensor, Tensor expected, Tensor actual)
    {
        var name = file.StartsWith("feature_extracter", StringComparison.Ordinal) ? tensor : $"{caseName}.{tensor}";
        var (atol, rtol) = ModelVectors.Tolerance(file, name);
        TensorAssert.Close(expected, actual, atol, rtol, $"{file} {name}");
    }
}
