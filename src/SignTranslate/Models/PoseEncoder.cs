using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SignTranslate.Models;

// The pose stream (docs/pose.md#model): normalised keypoints → per-frame features of the same width as the frame
// CNN's, which the TemporalConv then downsamples exactly as it does RGB features.

// ---- PoseEncoder -----------------------------------------------------------------------------------------------------

/// <summary>
/// Keypoints [ΣT_i,133,3] (normalised, see <c>PoseNormalisation</c>) + lengths [B] → features [B,T_max,F]. Four body-part
/// groups (body, left hand, right hand, face) each read their joints with a spatial block per frame; every channel of
/// every group then has its own temporal kernel over frames (<c>temporal_weight</c>, <c>temporal_bias</c>, a residual
/// depthwise convolution); the concatenated groups are projected to F (<c>proj</c>).
/// </summary>
public sealed class PoseEncoder : Module<Tensor, Tensor, Tensor>
{
    /// <summary>The groups in order; the body keeps the upper body (nose to wrists), which is what a signing video shows.</summary>
    public static readonly IReadOnlyList<(JointRange Joints, int? Reference)> Groups =
    [
        (KeypointLayout.Body with { Count = KeypointLayout.RightWrist + 1 }, null),
        (KeypointLayout.LeftHand, KeypointLayout.LeftHand.Start),       // relative to the wrist
        (KeypointLayout.RightHand, KeypointLayout.RightHand.Start),
        (KeypointLayout.Face, KeypointLayout.Face.Start + 30),          // relative to the nose tip (iBUG landmark 30)
    ];

    private readonly PoseGroup body, left_hand, right_hand, face;
    private readonly Parameter temporal_weight;   // [4C,K]
    private readonly Parameter temporal_bias;     // [4C]
    private readonly Linear proj;
    private readonly Scalar padValue;   // lives with the module (see LiveScalars)

    public PoseEncoder(PoseEncoderOptions options, int featureSize, double padValue, string name = "pose_encoder") : base(name)
    {
        var c = options.GroupSize;
        body = new PoseGroup(Groups[0].Joints, Groups[0].Reference, c, "body");
        left_hand = new PoseGroup(Groups[1].Joints, Groups[1].Reference, c, "left_hand");
        right_hand = new PoseGroup(Groups[2].Joints, Groups[2].Reference, c, "right_hand");
        face = new PoseGroup(Groups[3].Joints, Groups[3].Reference, c, "face");
        // Conv1d's default initialisation for a depthwise kernel: uniform in ±1/sqrt(K).
        var bound = 1 / Math.Sqrt(options.TemporalKernel);
        temporal_weight = new Parameter(rand(4 * c, options.TemporalKernel) * (2 * bound) - bound);
        temporal_bias = new Parameter(rand(4 * c) * (2 * bound) - bound);
        proj = Linear(4 * c, featureSize);
        this.padValue = padValue.ToScalar();
        FeatureSize = featureSize;
        RegisterComponents();
    }

    public int FeatureSize { get; }

    // keypoints [ΣT_i,133,3], lengths [B] (int64, read on the host) -> [B,T_max,F]
    public override Tensor forward(Tensor keypoints, Tensor lengths)
    {
        var sizes = lengths.to(ScalarType.Int64).cpu().data<long>().ToArray();
        if (sizes.Sum() != keypoints.shape[0])
            throw new ArgumentException($"Lengths sum to {sizes.Sum()} but {keypoints.shape[0]} frames of keypoints were given.");
        PoseGroup[] groups = [body, left_hand, right_hand, face];
        var perFrame = cat(groups.Select(g => g.Spatial(keypoints)).ToArray(), 1);                // [ΣT,4C]
        var padded = nn.utils.rnn.pad_sequence(perFrame.split(sizes, dim: 0), batch_first: true);  // [B,T,4C]
        var temporal = Temporal(padded.permute(0, 2, 1)).permute(0, 2, 1);                        // [B,T,4C]
        var features = proj.call(temporal);                                                      // [B,T,F]
        var valid = arange(features.shape[1], device: features.device).unsqueeze(0)
            .lt(tensor(sizes, device: features.device).unsqueeze(1)).unsqueeze(2);               // [B,T,1]
        return features.masked_fill(valid.logical_not(), padValue);
    }

    // [B,4C,T] -> [B,4C,T]: x + relu(depthwise convolution of x), zero-padded to keep T. Written as a sum of shifted
    // copies times one kernel tap each (no LibTorch convolution kernel, see GemmConvolution; and no unfold, whose
    // backward is slow), which for one kernel per channel is cheap.
    internal Tensor Temporal(Tensor x)
    {
        var (kernel, frames) = (temporal_weight.shape[1], x.shape[2]);
        var padded = functional.pad(x, [kernel / 2, kernel / 2]);                               // [B,4C,T+K-1]
        var convolved = temporal_bias.view(1, -1, 1).expand_as(x);
        for (var k = 0; k < kernel; k++)
            convolved = convolved.add(padded.narrow(2, k, frames) * temporal_weight[.., k..(k + 1)].unsqueeze(0), LiveScalars.One);
        return x.add(functional.relu(convolved), LiveScalars.One);                               // [B,4C,T]
    }
}

// ---- PoseGroup -------------------------------------------------------------------------------------------------------

/// <summary>
/// One body-part group's spatial block: per frame, its joints' (x, y, score) and, for hands and face, their (x, y)
/// relative to the group's reference joint (so the hand shape does not depend on where the hand is), through
/// Linear → LayerNorm → ReLU → Linear → ReLU (<c>spatial</c>).
/// </summary>
public sealed class PoseGroup : Module
{
    private readonly Sequential spatial;
    private readonly JointRange joints;
    private readonly int? reference;

    public PoseGroup(JointRange joints, int? reference, int size, string name) : base(name)
    {
        this.joints = joints;
        this.reference = reference;
        var inputs = joints.Count * (KeypointLayout.Channels + (reference is null ? 0 : 2));
        spatial = Sequential(Linear(inputs, size), LayerNorm(size), ReLU(), Linear(size, size), ReLU());
        RegisterComponents();
    }

    // keypoints [N,133,3] -> [N,C]
    public Tensor Spatial(Tensor keypoints)
    {
        var part = keypoints.narrow(1, joints.Start, joints.Count);                               // [N,J,3]
        var input = part.flatten(1);                                                            // [N,3J]
        if (reference is { } at)
        {
            // Operations with numbers pass LiveScalars, not temporaries (see there).
            var present = part[.., .., 2..3].gt(LiveScalars.Zero).to(part.dtype);              // [N,J,1]
            var origin = keypoints.narrow(1, at, 1)[.., .., ..2];                               // [N,1,2]
            var originPresent = origin.ne(LiveScalars.Zero).any(2, keepdim: true).to(part.dtype);
            var relative = (part[.., .., ..2] - origin) * present * originPresent;
            input = cat([input, relative.flatten(1)], 1);                                       // [N,5J]
        }
        return spatial.call(input);
    }
}
