using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SignTranslate.Models;

/// <summary>
/// Computes a Conv1d / Conv2d module as im2col + one matrix product (unfold, then weight [O, C·k] × columns), so
/// the result and its gradients come from the GEMM and col2im kernels instead of LibTorch's oneDNN convolution.
/// LibTorch 2.10's float32 oneDNN convolutions return wrong outputs or input gradients on some CPUs, with relative
/// errors of 10–90 % and no error raised, for many channel counts (for example 17–31, 33, 100 input channels in the
/// forward pass; 8, 20 or 35 output channels in the backward pass), varying with the instruction set and even from
/// run to run. The models whose channel counts come from the configuration (TemporalConv, the small frame CNN) use
/// this class; ResNet-18's fixed shapes are checked against float64 by the tests. See docs/models.md.
/// </summary>
public static class GemmConvolution
{
    /// <summary>input [B,C,T] (Conv1d) or [B,C,H,W] (Conv2d) → [B,O,T'] or [B,O,H',W'], as the module computes it.</summary>
    public static Tensor Forward(Convolution conv, Tensor input)
    {
        if (conv.groups != 1 || conv.transposed || conv.padding_mode != PaddingModes.Zeros || conv.padding_type is not null)
            throw new NotSupportedException("GemmConvolution computes plain convolutions only (groups 1, zero padding given as numbers).");
        var oneDimensional = conv.kernel_size.Length == 1;
        // A Conv1d is a Conv2d over a height-1 image with a 1×k kernel.
        (long Height, long Width) Pair(long[] values, long heightValue) => oneDimensional ? (heightValue, values[0]) : (values[0], values[1]);
        var (kernel, dilation, padding, stride) = (Pair(conv.kernel_size, 1), Pair(conv.dilation, 1), Pair(conv.padding!, 0), Pair(conv.stride, 1));
        var image = oneDimensional ? input.unsqueeze(2) : input;                                  // [B,C,H,W]
        var columns = nn.functional.unfold(image, kernel, dilation, padding, stride);             // [B,C·kh·kw,L]
        var output = conv.weight!.view(conv.out_channels, -1).matmul(columns);                   // [B,O,L]
        if (conv.bias is not null)
            output = output.add(conv.bias.view(1, -1, 1), LiveScalars.One);
        if (oneDimensional)
            return output;                                                                       // [B,O,T']
        var height = OutputSize(image.shape[2], kernel.Height, stride.Height, padding.Height, dilation.Height);
        var width = OutputSize(image.shape[3], kernel.Width, stride.Width, padding.Width, dilation.Width);
        return output.view(output.shape[0], conv.out_channels, height, width);                   // [B,O,H',W']
    }

    private static long OutputSize(long size, long kernel, long stride, long padding, long dilation) =>
        (size + 2 * padding - dilation * (kernel - 1) - 1) / stride + 1;
}
