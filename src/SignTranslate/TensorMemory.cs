using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace SignTranslate;

/// <summary>The memory of a contiguous host tensor, for code that writes or hands it on without a managed copy.</summary>
internal static class TensorMemory
{
    [DllImport("LibTorchSharp")]
    private static extern IntPtr THSTensor_data(IntPtr tensor);

    /// <summary>The address of a host tensor's first element (the tensor must stay alive while it is used).</summary>
    public static IntPtr Pointer(Tensor tensor) => THSTensor_data(tensor.Handle);

    /// <summary>A contiguous float32 host tensor's elements (valid while the tensor lives).</summary>
    public static unsafe Span<float> Floats(Tensor tensor)
    {
        if (tensor.dtype != ScalarType.Float32 || !tensor.is_contiguous() || tensor.device_type != TorchSharp.DeviceType.CPU)
            throw new ArgumentException("expected a contiguous float32 CPU tensor", nameof(tensor));
        return new Span<float>((void*)Pointer(tensor), checked((int)tensor.numel()));
    }
}
