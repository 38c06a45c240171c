using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SignTranslate.Models;

/// <summary>
/// GFSLT-VLP's TemporalConv with conv_type 2 (K5, P2, K5, P2): [B,T,C] → [B,T',H], T' = ((T−4)//2 − 4)//2.
/// The layers sit in one <c>temporal_conv</c> Sequential, so names are <c>temporal_conv.{0,1,4,5}.*</c> as in the
/// reference checkpoints. Convolutions are unpadded; pooling floors.
/// </summary>
public sealed class TemporalConv : Module<Tensor, Tensor>
{
    private const int KernelSize = 5;
    private const int PoolSize = 2;

    private readonly Sequential temporal_conv;

    public TemporalConv(int inputSize, int hiddenSize, string name = "conv_1d") : base(name)
    {
        InputSize = inputSize;
        HiddenSize = hiddenSize;
        temporal_conv = Sequential(
            Conv1d(inputSize, hiddenSize, KernelSize, stride: 1, padding: 0L),   // 0
            BatchNorm1d(hiddenSize),                                             // 1
            ReLU(),                                                              // 2
            MaxPool1d(PoolSize, PoolSize),                                       // 3
            Conv1d(hiddenSize, hiddenSize, KernelSize, stride: 1, padding: 0L),  // 4
            BatchNorm1d(hiddenSize),                                             // 5
            ReLU(),                                                              // 6
            MaxPool1d(PoolSize, PoolSize));                                      // 7
        RegisterComponents();
    }

    public int InputSize { get; }
    public int HiddenSize { get; }

    /// <summary>Output length for an input of <paramref name="frames"/> frames (never below 0).</summary>
    public static long OutputLength(long frames) =>
        Math.Max(0, ((frames - (KernelSize - 1)) / PoolSize - (KernelSize - 1)) / PoolSize);

    // features [B,T,C] -> [B,T',H]
    public override Tensor forward(Tensor features) =>
        temporal_conv.call(features.permute(0, 2, 1)).permute(0, 2, 1);
}
