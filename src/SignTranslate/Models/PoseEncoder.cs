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
/// groups (body, left hand, right hand, face) each read their joints with a spatial block per frame and a temporal
/// convolution over frames; the concatenated groups are projected to F.
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
    private readonly Linear proj;
    private readonly Scalar padValue;   // lives with the module (see LiveScalars)

    public PoseEncoder(PoseEncoderOptions options, int featureSize, double padValue, string name = "pose_encoder") : base(name)
    {
        var c = options.GroupSize;
        body = new PoseGroup(Groups[0].Joints, Groups[0].Reference, c, options.TemporalKernel, "body");
        left_hand = new PoseGroup(Groups[1].Joints, Groups[1].Reference, c, options.TemporalKernel, "left_hand");
        right_hand = new PoseGroup(Groups[2].Joints, Groups[2].Reference, c, options.TemporalKernel, "right_hand");
        face = new PoseGroup(Groups[3].Joints, Groups[3].Reference, c, options.TemporalKernel, "face");
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
        var perFrame = groups.Select(g => g.Spatial(keypoints)).ToArray();                        // 4 × [ΣT,C]
        var padded = groups.Select((g, i) =>
            nn.utils.rnn.pad_sequence(perFrame[i].split(sizes, dim: 0), batch_first: true)          // [B,T,C]
                .permute(0, 2, 1)).ToArray();                                                    // [B,C,T]
        var temporal = groups.Select((g, i) => g.Temporal(padded[i])).ToArray();                  // 4 × [B,C,T]
        var features = proj.call(cat(temporal, 1).permute(0, 2, 1));                              // [B,T,F]
        var valid = arange(features.shape[1], device: features.device).unsqueeze(0)
            .lt(tensor(sizes, device: features.device).unsqueeze(1)).unsqueeze(2);               // [B,T,1]
        return features.masked_fill(valid.logical_not(), padValue);
    }
}

// ---- PoseGroup -------------------------------------------------------------------------------------------------------

/// <summary>
/// One body-part group: per frame, its joints' (x, y, score) and, for hands and face, their (x, y) relative to the
/// group's reference joint (so the hand shape does not depend on where the hand is), through Linear → LayerNorm → ReLU →
/// Linear → ReLU (<c>spatial</c>); then a residual temporal convolution over frames (<c>temporal</c>).
/// </summary>
public sealed class PoseGroup : Module
{
    private readonly Sequential spatial;
    private readonly Conv1d temporal;
    private readonly JointRange joints;
    private readonly int? reference;

    public PoseGroup(JointRange joints, int? reference, int size, int temporalKernel, string name) : base(name)
    {
        this.joints = joints;
        this.reference = reference;
        var inputs = joints.Count * (KeypointLayout.Channels + (reference is null ? 0 : 2));
        spatial = Sequential(Linear(inputs, size), LayerNorm(size), ReLU(), Linear(size, size), ReLU());
        temporal = Conv1d(size, size, temporalKernel, padding: temporalKernel / 2);
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

    // [B,C,T] -> [B,C,T]; the convolution is im2col + GEMM (see GemmConvolution for why not LibTorch's kernel).
    public Tensor Temporal(Tensor features) => features.add(functional.relu(GemmConvolution.Forward(temporal, features)), LiveScalars.One);
}
