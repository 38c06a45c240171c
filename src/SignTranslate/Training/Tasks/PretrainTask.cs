using SignTranslate.Checkpoints;
using SignTranslate.Data;
using SignTranslate.Losses;
using SignTranslate.Models;
using SignTranslate.Text;
using static TorchSharp.torch;

namespace SignTranslate.Training.Tasks;

/// <summary>
/// Visual-language pretraining (reference <c>train_vlp_v2.py</c> / <c>train_vlp_SignCL.py</c>, docs/reference.md#s4.6,
/// docs/reference.md#s5.2): the CLIP-style KL loss between video and text embeddings (+ λ·SignCL on the frame features
/// when enabled and <see cref="SignClOptions.PretrainBackprop"/>), then on every N-th step the masked-text decoder with
/// its own optimizer, reading the text encoder's states of the masked text without gradient. Dev evaluation selects on
/// the lowest mean CLIP loss.
/// </summary>
public sealed class PretrainTask : ITrainingTask
{
    /// <summary>Checkpoint prefix of the masked-text decoder's tensors: the reference saves them as <c>module.*</c>.</summary>
    public const string TextDecoderPrefix = "module.";

    private readonly VlpModel _model;
    private readonly VlpTextDecoder _textDecoder;
    private readonly ITextTokenizer _tokenizer;
    private readonly TrainingOptions _training;
    private readonly SignClStreams? _signCl;
    private readonly Device _device;

    public PretrainTask(VlpModel model, VlpTextDecoder textDecoder, ITextTokenizer tokenizer, TrainingOptions training,
        SignClOptions signCl, int seed, Device device)
    {
        _model = model;
        _textDecoder = textDecoder;
        _tokenizer = tokenizer;
        _training = training;
        _device = device;
        _signCl = signCl.Enabled ? new SignClStreams(signCl, seed) : null;
        var slots = new List<OptimizerSlot> { OptimizerSlot.For("model", model, training.Optimizer) };
        if (training.TextDecoderEverySteps > 0)
            slots.Add(OptimizerSlot.For("text_decoder", textDecoder, training.TextDecoderOptimizer));
        Optimizers = slots;
    }

    public string Stage => "pretrain";
    public bool NeedsMaskedText => _training.TextDecoderEverySteps > 0;
    public IReadOnlyList<OptimizerSlot> Optimizers { get; }
    public int EvaluationBatchSize => _training.BatchSize;
    public VlpModel Model => _model;
    public VlpTextDecoder TextDecoder => _textDecoder;

    public IEnumerable<KeyValuePair<string, Tensor>> StateDict() =>
        _model.state_dict().Concat(_textDecoder.state_dict().Select(kv => KeyValuePair.Create(TextDecoderPrefix + kv.Key, kv.Value)));

    public IEnumerable<Tensor> Buffers() => _model.buffers().Concat(_textDecoder.buffers());

    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state)
    {
        WeightLoader.Load(_model, state.Where(kv => !kv.Key.StartsWith(TextDecoderPrefix, StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key, kv => kv.Value), strict: true);
        WeightLoader.Load(_textDecoder, state.Where(kv => kv.Key.StartsWith(TextDecoderPrefix, StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key[TextDecoderPrefix.Length..], kv => kv.Value), strict: true);
    }

    public IReadOnlyDictionary<string, double> TaskState => new Dictionary<string, double>();

    public void RestoreTaskState(IReadOnlyDictionary<string, double> state)
    {
    }

    public void SetTraining(bool training)
    {
        _model.train(training);
        _textDecoder.train(training);
    }

    // SignCL draws from streams seeded per epoch, so a resumed run draws the same frames as an uninterrupted one.
    public void BeginEpoch(int epoch) => _signCl?.BeginEpoch(epoch);

    public void TrainStep(IReadOnlyList<MicroBatch> batches, IStepContext step)
    {
        step.Optimize("model", batches, micro => ClipLoss(micro, step));
        // After the CLIP update (of every micro-batch), as in the reference loop: the decoder reads the updated text encoder.
        if (_training.TextDecoderEverySteps > 0 && step.Position.StepInEpoch % _training.TextDecoderEverySteps == 0)
            step.Optimize("text_decoder", batches, micro => MaskedTextLoss(micro.Batch, step));
    }

    private Tensor ClipLoss(MicroBatch micro, IStepContext step)
    {
        var batch = micro.Batch;
        // The models read the frame counts on the host; the batch's host copy spares a device-to-host copy.
        var output = _model.Forward(batch.Video.Inputs(_device), batch.Video.Lengths,
            batch.Video.AttentionMask.to(_device), batch.Text.InputIds.to(_device), batch.Text.AttentionMask.to(_device));
        var clip = ClipKlLoss.Compute(output.LogitsPerImage, output.LogitsPerText);
        var loss = clip;
        step.Log("clip_loss", clip);
        if (_signCl is not null)
        {
            var cl = _signCl.For(micro.Slot).BatchLoss(output.FrameFeatures, batch.Video.PaddedLengths, batch.Text.AttentionMask);
            step.Log("cl_loss", cl);
            // The released VLP script only logs the term (docs/reference.md#s11.1); pretrain_backprop: false keeps that.
            if (_signCl.Options.PretrainBackprop) loss = clip + _signCl.Options.LambdaPretrain * cl;
        }
        step.Log("loss", loss);
        return loss;
    }

    private Tensor MaskedTextLoss(SignBatch batch, IStepContext step)
    {
        var ids = batch.Text.InputIds.to(_device);
        var mask = batch.Text.AttentionMask.to(_device);
        var masked = batch.MaskedText ?? throw new InvalidOperationException("pretraining batches must carry the masked text");
        var maskedMask = masked.AttentionMask.to(_device);
        Tensor hidden;
        using (no_grad())
            hidden = _model.Text.Encoder.Forward(masked.InputIds.to(_device), maskedMask).LastHiddenState;
        var logits = _textDecoder.Forward(ids, mask, hidden, maskedMask);
        var mlm = TokenCrossEntropy.Compute(logits, ids, _tokenizer.PadId, _training.LabelSmoothing);
        step.Log("mlm_loss", mlm);
        return mlm;
    }

    public EvaluationResult Evaluate(IEnumerable<SignBatch> batches, int epoch, CancellationToken cancel)
    {
        double clipSum = 0, mlmSum = 0;
        int count = 0;
        foreach (var batch in batches)
        {
            using (batch)
            {
                cancel.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                var ids = batch.Text.InputIds.to(_device);
                var mask = batch.Text.AttentionMask.to(_device);
                var output = _model.Forward(batch.Video.Inputs(_device), batch.Video.Lengths.to(_device),
                    batch.Video.AttentionMask.to(_device), ids, mask);
                clipSum += ClipKlLoss.Compute(output.LogitsPerImage, output.LogitsPerText).item<float>();
                // Dev text is not masked, so the decoder reads the text encoder states the CLIP forward already computed.
                var logits = _textDecoder.Forward(ids, mask, output.TextHidden, mask);
                mlmSum += TokenCrossEntropy.Compute(logits, ids, _tokenizer.PadId, _training.LabelSmoothing).item<float>();
                count++;
            }
        }
        var clipLoss = count == 0 ? double.NaN : clipSum / count;
        var metrics = new Dictionary<string, double> { ["dev_clip_loss"] = clipLoss, ["dev_mlm_loss"] = count == 0 ? double.NaN : mlmSum / count };
        return new EvaluationResult(metrics, "dev_clip_loss", clipLoss, HigherIsBetter: false);
    }

    public void Dispose()
    {
        foreach (var slot in Optimizers) slot.Optimizer.Dispose();
    }
}
