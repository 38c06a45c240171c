using SignTranslate.Data;
using SignTranslate.Losses;
using static TorchSharp.torch;

namespace SignTranslate.Training.Tasks;

/// <summary>
/// The SignCL term as both stages add it to their loss (docs/reference.md#s6.1): on the padded per-frame features
/// [B,T,F], with the margin rule computed from the batch (faithful: padded frame and token counts of the batch;
/// masked: each video's own frame and token counts). Negatives are drawn from a stream seeded per epoch, so a resumed
/// run draws the same negatives as an uninterrupted one.
/// </summary>
public sealed class SignClTerm(SignClOptions options, int seed)
{
    private SignClCriterion _criterion = new(options, seed);

    public SignClOptions Options => options;

    public void BeginEpoch(int epoch) => _criterion = new SignClCriterion(options, BatchPlan.Seed(seed, epoch, SeedStreams.SignClSampling));

    /// <summary>The unweighted SignCL loss of one batch's frame features [B,T,F].</summary>
    public Tensor Compute(Tensor frameFeatures, SignBatch batch)
    {
        var frames = (int)frameFeatures.shape[1];
        if (!options.Masked)
            return _criterion.Compute(frameFeatures, null, _criterion.MarginFor(frames, (int)batch.Text.InputIds.shape[1]));
        var tokens = batch.Text.AttentionMask.sum(1).cpu().data<long>().ToArray();
        var lengths = batch.Video.PaddedLengths;
        var margins = lengths.Select((length, i) => _criterion.MarginFor(length, (int)tokens[i])).ToArray();
        return _criterion.Compute(frameFeatures, lengths, margins);
    }
}
