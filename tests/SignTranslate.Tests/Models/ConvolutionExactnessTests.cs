using SignTranslate.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SignTranslate.Tests.Models;

/// <summary>
/// Convolutions against the same convolution in float64 (which LibTorch computes without oneDNN): outputs and the
/// gradients of input, weight and bias. <see cref="GemmConvolution"/> over channel counts for which LibTorch 2.10's
/// float32 oneDNN kernels are wrong on some CPUs; plain modules at the shapes where the models keep LibTorch's kernels.
/// </summary>
public class ConvolutionExactnessTests
{
    // dims, in channels, out channels, kernel, stride, padding
    public static TheoryData<int, int, int, int, int, int> GemmShapes()
    {
        var data = new TheoryData<int, int, int, int, int, int>();
        foreach (var channels in new[] { 3, 8, 16, 17, 20, 24, 33, 35, 48, 100 })
        {
            data.Add(1, channels, 36, 5, 1, 0);       // TemporalConv, first layer
            data.Add(1, channels, channels, 5, 1, 0); // TemporalConv, second layer
            data.Add(2, channels, 2 * channels, 3, 2, 1);   // the small frame CNN
        }
        data.Add(1, 20, 7, 1, 1, 0);
        data.Add(2, 12, 20, 5, 1, 2);
        return data;
    }

    // Where the models keep LibTorch's kernels. ResNet-18: the stem, 3×3 in each stage, the stride-2 3×3 and 1×1
    // downsampling convs. The small frame CNN with power-of-two widths (16–64) and feature sizes (64–512).
    public static TheoryData<int, int, int, int, int, int> LibTorchShapes()
    {
        var data = new TheoryData<int, int, int, int, int, int>
        {
        { 2, 3, 64, 7, 2, 3 },
        { 2, 64, 64, 3, 1, 1 },
        { 2, 64, 128, 3, 2, 1 }, { 2, 64, 128, 1, 2, 0 }, { 2, 128, 128, 3, 1, 1 },
        { 2, 128, 256, 3, 2, 1 }, { 2, 128, 256, 1, 2, 0 }, { 2, 256, 256, 3, 1, 1 },
        { 2, 256, 512, 3, 2, 1 }, { 2, 256, 512, 1, 2, 0 }, { 2, 512, 512, 3, 1, 1 },
        };
        // Shapes ResNet-18 already lists (256→512, stride 2) are not repeated.
        var smallCnnShapes = new HashSet<(int, int)>();
        foreach (var width in new[] { 16, 32, 64 })
        foreach (var features in new[] { 64, 128, 512 })
        {
            Assert.True(SmallFrameCnn.HasCheckedShapes(width, features));
            smallCnnShapes.UnionWith([(3, width), (width, 2 * width), (2 * width, 4 * width), (4 * width, features)]);
        }
        smallCnnShapes.ExceptWith([(256, 512)]);
        foreach (var (inChannels, outChannels) in smallCnnShapes.Order())
            data.Add(2, inChannels, outChannels, 3, 2, 1);
        return data;
    }

    [Theory]
    [MemberData(nameof(GemmShapes))]
    public void GemmConvolutionMatchesFloat64(int dims, int inChannels, int outChannels, int kernel, int stride, int padding) =>
        AssertMatchesFloat64(dims, inChannels, outChannels, kernel, stride, padding, GemmConvolution.Forward);

    [Theory]
    [MemberData(nameof(LibTorchShapes))]
    public void LibTorchConvolutionIsExactWhereTheModelsUseIt(int dims, int inChannels, int outChannels, int kernel, int stride, int padding) =>
        AssertMatchesFloat64(dims, inChannels, outChannels, kernel, stride, padding, (conv, x) => conv.call(x));

    private static void AssertMatchesFloat64(int dims, int inChannels, int outChannels, int kernel, int stride, int padding,
        Func<Convolution, Tensor, Tensor> convolve)
    {
        using var scope = NewDisposeScope();
        manual_seed(inChannels * 1000 + outChannels * 10 + kernel);
        Convolution Make(ScalarType dtype) => dims == 1
            ? nn.Conv1d(inChannels, outChannels, kernel, stride: stride, padding: padding, dtype: dtype)
            : nn.Conv2d(inChannels, outChannels, kernel, stride: stride, padding: padding, dtype: dtype);
        var conv = Make(ScalarType.Float32);
        var twin = Make(ScalarType.Float64);
        using (no_grad())
        {
            twin.weight!.copy_(conv.weight!);
            twin.bias!.copy_(conv.bias!);
        }
        long[] inputShape = dims == 1 ? [2, inChannels, 23] : [2, inChannels, 13, 11];
        var input = randn(inputShape).requires_grad_();
        var input64 = input.detach().to(ScalarType.Float64).requires_grad_();

        var output64 = twin.call(input64);
        var output = convolve(conv, input);
        var outputGrad = randn(output64.shape);
        (output * outputGrad).sum().backward();
        (output64 * outputGrad.to(ScalarType.Float64)).sum().backward();

        var what = $"conv{dims}d {inChannels}->{outChannels} k{kernel} s{stride}";
        TensorAssert.Close(output64, output, 1e-4, 1e-4, $"{what} output");
        TensorAssert.Close(input64.grad!, input.grad!, 1e-4, 1e-4, $"{what} input grad");
        TensorAssert.Close(twin.weight!.grad!, conv.weight!.grad!, 1e-3, 1e-4, $"{what} weight grad");
        TensorAssert.Close(twin.bias!.grad!, conv.bias!.grad!, 1e-3, 1e-4, $"{what} bias grad");
    }
}

public class SmallFrameCnnKernelChoiceTests
{
    [Theory]
    [InlineData(16, 128, true)]
    [InlineData(32, 512, true)]
    [InlineData(8, 128, false)]
    [InlineData(12, 128, false)]
    [InlineData(16, 100, false)]
    public void PowerOfTwoSizesFromSixteenKeepLibTorchKernels(int width, int features, bool libTorch) =>
        Assert.Equal(libTorch, new SmallFrameCnn(features, width).UsesLibTorchKernels);

    [Fact]
    public void GemmAndLibTorchPathsComputeTheSameFeatures()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        var checkedShapes = new SmallFrameCnn(64, 16);
        var gemm = new SmallFrameCnn(64, 12);
        Assert.False(gemm.UsesLibTorchKernels);
        gemm.eval();
        var frames = randn(6, 3, 32, 32);
        using var _ = no_grad();
        var features = gemm.call(frames);
        Assert.Equal(new long[] { 6, 64 }, features.shape);
        var twin = new SmallFrameCnn(64, 12);
        twin.load_state_dict(gemm.state_dict());
        twin.to(ScalarType.Float64).eval();
        TensorAssert.Close(twin.call(frames.to(ScalarType.Float64)), features, 1e-4, 1e-4, "width 12 features");
        Assert.True(checkedShapes.UsesLibTorchKernels);
    }
}
