using TorchSharp;

namespace SignTranslate.Models;

/// <summary>
/// Scalars that live as long as the program. <c>a + b</c> makes a new scalar 1 for LibTorch's <c>alpha</c>, and
/// TorchSharp 0.107 lets the garbage collector finalize it while the native call may still read it
/// (docs/training.md#a-rare-internal-error). The pose stream's many small operations overlap the collections that the
/// batch workers' allocations set off, and failed there about once in a few hundred steps; they pass these instead.
/// </summary>
internal static class LiveScalars
{
    public static readonly Scalar Zero = 0.ToScalar();

    public static readonly Scalar One = 1.ToScalar();
}
