using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SignTranslate.Models;

// GFSLT-VLP's FeatureExtracter in one file, as models.py has it: the per-video frame encoder wrapper, TemporalConv
// and the masked BatchNorm it uses. The frame CNNs (ResNet18.cs, SmallFrameCnn.cs) and GemmConvolution.cs sit beside.

// ---- FeatureExtractor ------------------------------------------------------------------------------------------------

/// <summary>Both outputs of the visual backbone.</summary>
/// <param name="Features">TemporalConv output [B,T',H].</param>
/// <param name="FrameFeatures">Padded per-frame features [B,T,F] (SignCL works on these).</param>
public readonly record struct VisualFeatures(Tensor Features, Tensor FrameFeatures);

/// <summary>
/// The reference <c>FeatureExtracter</c>: frame encoder (<c>conv_2d</c>) then TemporalConv (<c>conv_1d</c>).
/// Frames [ΣT_i,3,H,W] + lengths [B] → [B,T',H] with T' = ((T_max−4)//2 − 4)//2. With <c>model.input</c> pose the
/// per-frame features come from the <see cref="PoseEncoder"/> (<c>pose_encoder</c>) instead, and with rgb+pose from
/// both, combined by <see cref="StreamFusionBlock"/> (<c>fusion</c>) before the TemporalConv (docs/pose.md#model).
/// </summary>
public sealed class FeatureExtractor : Module<SignInputs, Tensor, VisualFeatures>
{
    private readonly VideoFrameEncoder? conv_2d;
    private readonly PoseEncoder? pose_encoder;
    private readonly StreamFusionBlock? fusion;
    private readonly TemporalConv conv_1d;
    private readonly bool maskedBatchNorm;
    private readonly ModelInput input;

    public FeatureExtractor(VisualBackboneOptions options, string name = "backbone") : this(options, ModelInput.Rgb, new PoseEncoderOptions(), name) { }

    public FeatureExtractor(VisualBackboneOptions options, ModelInput input, PoseEncoderOptions pose, string name = "backbone") : base(name)
    {
        this.input = input;
        if (input is ModelInput.Rgb or ModelInput.RgbPose)
            conv_2d = new VideoFrameEncoder(options);
        if (input is ModelInput.Pose or ModelInput.RgbPose)
            pose_encoder = new PoseEncoder(pose, options.FrameFeatureSize, options.FeaturePadValue);
        if (input is ModelInput.RgbPose)
            fusion = new StreamFusionBlock(pose.Fusion, options.FrameFeatureSize);
        conv_1d = new TemporalConv(options.FrameFeatureSize, options.TemporalHiddenSize);
        maskedBatchNorm = options.MaskPaddingInBatchNorm;
        RegisterComponents();
    }

    /// <summary>The RGB frame encoder; throws for a pose-only model, which has none.</summary>
    public VideoFrameEncoder FrameEncoder => conv_2d ?? throw new InvalidOperationException("this model reads keypoints only; it has no frame encoder");

    /// <summary>The RGB frame encoder, or null for a pose-only model.</summary>
    public VideoFrameEncoder? FrameEncoderIfAny => conv_2d;

    public TemporalConv TemporalConv => conv_1d;

    // frames [ΣT_i,3,H,W] and/or keypoints [ΣT_i,133,3], lengths [B] -> features [B,T',H], frame features [B,T_max,F]
    public override VisualFeatures forward(SignInputs inputs, Tensor lengths)
    {
        var frameFeatures = PerFrame(inputs, lengths);                                          // [B,T_max,F]
        var videoLengths = maskedBatchNorm ? lengths.cpu().to(ScalarType.Int64).data<long>().ToArray() : null;
        return new VisualFeatures(conv_1d.Forward(frameFeatures, videoLengths), frameFeatures);
    }

    private Tensor PerFrame(SignInputs inputs, Tensor lengths)
    {
        Tensor Required(Tensor? input, string what) => input ?? throw new ArgumentException($"a model with input {this.input.YamlName()} needs {what}", nameof(inputs));
        var rgb = conv_2d?.call(Required(inputs.Frames, "frames"), lengths);
        var pose = pose_encoder?.call(Required(inputs.Keypoints, "keypoints"), lengths);
        return fusion is not null ? fusion.Forward(rgb!, pose!) : (rgb ?? pose)!;
    }

    /// <summary>Attention mask [B,T'] (int64, 1 = valid) of the TemporalConv output for per-video frame counts.</summary>
    public static Tensor OutputMask(IReadOnlyList<long> frameCounts, Device? device = null)
    {
        var outLengths = frameCounts.Select(TemporalConv.OutputLength).ToArray();
        var width = TemporalConv.OutputLength(frameCounts.Count == 0 ? 0 : frameCounts.Max());
        var mask = new long[frameCounts.Count * width];
        for (var b = 0; b < outLengths.Length; b++)
            for (var t = 0; t < outLengths[b]; t++)
                mask[b * width + t] = 1;
        return torch.tensor(mask, new long[] { frameCounts.Count, width }, device: device);
    }
}

// ---- VideoFrameEncoder -----------------------------------------------------------------------------------------------

/// <summary>
/// The reference <c>resnet</c> wrapper: runs the frame encoder over all frames of a batch at once, splits the
/// result per video by the lengths and pads to the longest video. Frames [ΣT_i,3,H,W] + lengths [B] →
/// features [B,T_max,F]. The frame network is registered as <c>resnet</c> (the reference key) or <c>cnn</c>.
/// </summary>
public sealed class VideoFrameEncoder : Module<Tensor, Tensor, Tensor>
{
    private readonly ResNet18? resnet;
    private readonly SmallFrameCnn? cnn;
    private readonly double padValue;

    public VideoFrameEncoder(VisualBackboneOptions options, string name = "conv_2d") : base(name)
    {
        padValue = options.FeaturePadValue;
        switch (options.FrameEncoder)
        {
            case FrameEncoderKind.Resnet18:
                if (options.FrameFeatureSize != ResNet18.FeatureSize)
                    throw new ArgumentException($"ResNet-18 produces {ResNet18.FeatureSize}-d features, not {options.FrameFeatureSize}.");
                resnet = new ResNet18();
                break;
            case FrameEncoderKind.SmallCnn:
                cnn = new SmallFrameCnn(options.FrameFeatureSize, options.SmallCnnWidth);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(options), options.FrameEncoder, "Unknown frame encoder.");
        }
        RegisterComponents();
        FeatureSize = options.FrameFeatureSize;
        if (options.FreezeFrameEncoder)
            foreach (var p in FrameNetwork.parameters())
                p.requires_grad = false;
    }

    public int FeatureSize { get; }

    /// <summary>Applies the memory savers to the frame network (they exist for ResNet-18 only).</summary>
    public void UseMemoryOptions(MemoryOptions memory)
    {
        if (resnet is null) return;
        resnet.CheckpointActivations = memory.CheckpointFrameCnn;
        resnet.FrameChunk = memory.FrameChunk;
    }

    /// <summary>The per-frame network (ResNet-18 or the small CNN).</summary>
    public Module<Tensor, Tensor> FrameNetwork => (Module<Tensor, Tensor>?)resnet ?? cnn!;

    // frames [ΣT_i,3,H,W], lengths [B] (int64, ΣT_i frames in total) -> [B,T_max,F]. The lengths are read on the host:
    // training passes the batch's host copy, since reading a device tensor makes the host wait for the device.
    public override Tensor forward(Tensor frames, Tensor lengths)
    {
        var perFrame = FrameNetwork.call(frames);                                     // [ΣT_i,F]
        var sizes = lengths.to(ScalarType.Int64).cpu().data<long>().ToArray();
        if (sizes.Sum() != perFrame.shape[0])
            throw new ArgumentException($"Lengths sum to {sizes.Sum()} but {perFrame.shape[0]} frames were given.");
        var perVideo = perFrame.split(sizes, dim: 0);                                 // B × [T_i,F]
        return nn.utils.rnn.pad_sequence(perVideo, batch_first: true, padding_value: padValue);
    }
}

// ---- TemporalConv ----------------------------------------------------------------------------------------------------

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

// ---- MaskedBatchNorm1d -----------------------------------------------------------------------------------------------

/// <summary>
/// BatchNorm1d over [B,C,T] whose training statistics can skip padded time steps. Without a mask (or in eval mode)
/// it is exactly <c>nn.BatchNorm1d</c>: batch mean and biased variance normalise, the running variance takes the
/// unbiased one, momentum 0.1, eps 1e-5. With a mask [B,T] (true = real) only real steps enter the statistics, which
/// is the corrected behaviour of docs/reference.md#s11.9. Parameter and buffer names are BatchNorm's.
/// </summary>
public sealed class MaskedBatchNorm1d : Module
{
    private readonly Parameter weight;
    private readonly Parameter bias;
    private readonly Tensor running_mean;
    private readonly Tensor running_var;
    private readonly Tensor num_batches_tracked;
    private readonly double eps;
    private readonly double momentum;

    public MaskedBatchNorm1d(long features, double eps = 1e-5, double momentum = 0.1, string name = "bn") : base(name)
    {
        weight = new Parameter(ones(features));
        bias = new Parameter(zeros(features));
        running_mean = zeros(features);
        running_var = ones(features);
        num_batches_tracked = tensor(0L);
        register_buffer("running_mean", running_mean);
        register_buffer("running_var", running_var);
        register_buffer("num_batches_tracked", num_batches_tracked);
        this.eps = eps;
        this.momentum = momentum;
        RegisterComponents();
    }

    /// <summary>
    /// x [B,C,T]; mask [B,T] (bool or 0/1), or null to use every step; <paramref name="realSteps"/> the number of true
    /// entries of the mask, which the callers know on the host: counting them on the device would make the host wait
    /// for it at every training step. Returns [B,C,T].
    /// </summary>
    public Tensor Forward(Tensor x, Tensor? mask, long realSteps)
    {
        if (!training)
            return Normalise(x, running_mean, running_var);
        if (mask is null || realSteps == 0)
        {
            // No mask, or a mask that selects nothing: plain BatchNorm statistics over every step, in LibTorch's fused
            // kernel, which saves only its input and two [C] vectors for backward (written out, every intermediate of
            // the normalisation would be kept).
            using (no_grad()) num_batches_tracked.add_(1);
            return functional.batch_norm(x, running_mean, running_var, weight, bias, training: true, momentum, eps);
        }

        var weights = mask.to(x.dtype).unsqueeze(1);                                      // [B,1,T]
        var count = realSteps;
        var mean = (x * weights).sum(new long[] { 0, 2 }) / count;                        // [C]
        var biasedVar = ((x - mean.view(1, -1, 1)).square() * weights).sum(new long[] { 0, 2 }) / count;
        using (no_grad())
        {
            var unbiased = count > 1 ? biasedVar * ((double)count / (count - 1)) : biasedVar;
            running_mean.mul_(1 - momentum).add_(mean.detach() * momentum);
            running_var.mul_(1 - momentum).add_(unbiased.detach() * momentum);
            num_batches_tracked.add_(1);
        }
        return Normalise(x, mean, biasedVar);
    }

    private Tensor Normalise(Tensor x, Tensor mean, Tensor variance) =>
        (x - mean.view(1, -1, 1)) / (variance.view(1, -1, 1) + eps).sqrt() * weight.view(1, -1, 1) + bias.view(1, -1, 1);
}
