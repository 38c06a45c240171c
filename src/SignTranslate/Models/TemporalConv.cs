using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SignTranslate.Models;

/// <summary>
/// GFSLT-VLP's TemporalConv with conv_type 2 (K5, P2, K5, P2): [B,T,C] → [B,T',H], T' = ((T−4)//2 − 4)//2.
/// The layers sit in one <c>temporal_conv</c> list (a Sequential in the reference), so names are <c>temporal_conv.{0,1,4,5}.*</c> as in the
/// reference checkpoints. Convolutions are unpadded; pooling floors.
/// </summary>
public sealed class TemporalConv : Module
{
    private const int KernelSize = 5;
    private const int PoolSize = 2;

    private readonly ModuleList<Module> temporal_conv;   // a Sequential in the reference: only the names matter here

    public TemporalConv(int inputSize, int hiddenSize, string name = "conv_1d") : base(name)
    {
        InputSize = inputSize;
        HiddenSize = hiddenSize;
        temporal_conv = ModuleList<Module>(
            Conv1d(inputSize, hiddenSize, KernelSize, stride: 1, padding: 0L),   // 0
            new MaskedBatchNorm1d(hiddenSize),                                   // 1
            ReLU(),                                                              // 2
            MaxPool1d(PoolSize, PoolSize),                                       // 3
            Conv1d(hiddenSize, hiddenSize, KernelSize, stride: 1, padding: 0L),  // 4
            new MaskedBatchNorm1d(hiddenSize),                                   // 5
            ReLU(),                                                              // 6
            MaxPool1d(PoolSize, PoolSize));                                      // 7
        RegisterComponents();
    }

    public int InputSize { get; }
    public int HiddenSize { get; }

    /// <summary>Output length for an input of <paramref name="frames"/> frames (never below 0).</summary>
    public static long OutputLength(long frames) =>
        Math.Max(0, ((frames - (KernelSize - 1)) / PoolSize - (KernelSize - 1)) / PoolSize);

    /// <summary>
    /// features [B,T,C] → [B,T',H]. With per-video <paramref name="lengths"/>, training-mode BatchNorm statistics use
    /// only the steps whose receptive field lies inside the video (the reference also counts the padded tail).
    /// </summary>
    public Tensor Forward(Tensor features, IReadOnlyList<long>? lengths)
    {
        var x = features.permute(0, 2, 1);                                     // [B,C,T]
        var valid = lengths?.ToArray();
        foreach (var layer in temporal_conv)
        {
            switch (layer)
            {
                case Conv1d conv:
                    x = GemmConvolution.Forward(conv, x);
                    valid = valid?.Select(n => Math.Max(0, n - (KernelSize - 1))).ToArray();
                    break;
                case MaxPool1d pool:
                    x = pool.call(x);
                    valid = valid?.Select(n => n / PoolSize).ToArray();
                    break;
                case MaskedBatchNorm1d norm:
                    var mask = valid is null ? null : StepMask(valid, x.shape[2], x.device);
                    x = norm.Forward(x, mask, mask is null ? 0 : valid!.Sum(v => Math.Min(v, x.shape[2])));
                    break;
                default:
                    x = ((Module<Tensor, Tensor>)layer).call(x);
                    break;
            }
        }
        return x.permute(0, 2, 1);                                             // [B,T',H]
    }

    // [B,T] true for t < valid[b]; null when no step is valid (statistics then fall back to every step).
    private static Tensor? StepMask(long[] valid, long steps, Device device)
    {
        if (valid.All(v => v == 0)) return null;
        var positions = arange(steps, device: device).unsqueeze(0);          // [1,T]
        return positions.lt(tensor(valid, device: device).unsqueeze(1));     // [B,T]
    }
}
