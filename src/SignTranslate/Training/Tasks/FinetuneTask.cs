using SignTranslate.Data;
using SignTranslate.Losses;
using SignTranslate.Models;
using SignTranslate.Text;
using static TorchSharp.torch;

namespace SignTranslate.Training.Tasks;

/// <summary>
/// Translation finetuning (reference <c>train_slt.py</c> / <c>train_*_SignCL.py</c>): loss = label-smoothed CE over
/// the target ids, plus λ·SignCL on the frame features from <see cref="SignClOptions.StartEpoch"/> when SignCL is
/// enabled; dev evaluation decodes with the configured search and selects on corpus BLEU-4.
/// </summary>
public sealed class FinetuneTask : ITrainingTask
{
    private readonly SltModel _model;
    private readonly ITextTokenizer _tokenizer;
    private readonly TrainingOptions _training;
    private readonly EvaluationOptions _eval;
    private readonly SignClStreams? _signCl;
    private readonly Device _device;
    private readonly LambdaDecay _decay;

    public FinetuneTask(SltModel model, ITextTokenizer tokenizer, TrainingOptions training, EvaluationOptions eval,
        SignClOptions signCl, int seed, Device device)
    {
        _model = model;
        _tokenizer = tokenizer;
        _training = training;
        _eval = eval;
        _device = device;
        _signCl = signCl.Enabled ? new SignClStreams(signCl, seed) : null;
        _decay = new LambdaDecay(signCl);
        Optimizers = [OptimizerSlot.For("model", model, training.Optimizer)];
    }

    public string Stage => "finetune";
    public bool NeedsMaskedText => false;
    public IReadOnlyList<OptimizerSlot> Optimizers { get; }
    public int EvaluationBatchSize => _training.EvalBatchSize;
    public SltModel Model => _model;

    public IEnumerable<KeyValuePair<string, Tensor>> StateDict() => _model.state_dict();

    public IEnumerable<Tensor> Buffers() => _model.buffers();

    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state) =>
        Checkpoints.WeightLoader.Load(_model, state, strict: true);

    public IReadOnlyDictionary<string, double> TaskState => _decay.State;

    public void RestoreTaskState(IReadOnlyDictionary<string, double> state) => _decay.Restore(state);

    public void SetTraining(bool training) => _model.train(training);

    // SignCL draws from streams seeded per epoch, so a resumed run draws the same frames as an uninterrupted one.
    public void BeginEpoch(int epoch) => _signCl?.BeginEpoch(epoch);

    public void TrainStep(IReadOnlyList<MicroBatch> batches, IStepContext step) =>
        step.Optimize("model", batches, micro => Loss(micro, step));

    private Tensor Loss(MicroBatch micro, IStepContext step)
    {
        var batch = micro.Batch;
        var labels = batch.Text.InputIds.to(_device);
        // The models read the frame counts on the host; the batch's host copy spares a device-to-host copy.
        var output = _model.Forward(batch.Video.Inputs(_device), batch.Video.Lengths,
            batch.Video.AttentionMask.to(_device), labels, batch.Text.AttentionMask.to(_device));
        var loss = TokenCrossEntropy.Compute(output.Logits, labels, _tokenizer.PadId, _training.LabelSmoothing);
        step.Log("ce_loss", loss);
        if (_signCl is not null && step.Position.Epoch >= _signCl.Options.StartEpoch)
        {
            var cl = _signCl.For(micro.Slot).BatchLoss(output.FrameFeatures, batch.Video.PaddedLengths, batch.Text.AttentionMask);
            var lambda = _signCl.Options.LambdaFinetune * _decay.Factor;
            step.Log("cl_loss", cl);
            step.Log("cl_lambda", lambda);
            loss = loss + lambda * cl;
        }
        step.Log("loss", loss);
        return loss;
    }

    public EvaluationResult Evaluate(IEnumerable<SignBatch> batches, int epoch, CancellationToken cancel)
    {
        var translation = SplitTranslator.Translate(_model, batches, _tokenizer, _eval, _device, cancel);
        var score = translation.Score;
        _decay.Observe(score.Bleu4, epoch);
        var metrics = new Dictionary<string, double>
        {
            ["dev_bleu1"] = score.Bleu1, ["dev_bleu2"] = score.Bleu2, ["dev_bleu3"] = score.Bleu3, ["dev_bleu4"] = score.Bleu4,
            ["dev_rouge_l"] = score.RougeL, ["dev_samples"] = translation.Hypotheses.Count,
        };
        if (_signCl is not null) metrics["cl_decay"] = _decay.Factor;
        return new EvaluationResult(metrics, "dev_bleu4", score.Bleu4, HigherIsBetter: true);
    }

    public void Dispose()
    {
        foreach (var slot in Optimizers) slot.Optimizer.Dispose();
    }

    /// <summary>
    /// The Phoenix SignCL script's λ decay (docs/reference.md#s6.5): λ is multiplied by
    /// <see cref="SignClOptions.DecayFactor"/> whenever <see cref="SignClOptions.DecayPatienceEpochs"/> epochs pass
    /// without dev BLEU-4 rising more than <see cref="SignClOptions.DecayMinBleuGain"/> above the last jump. A factor of
    /// 1 (the default) never changes λ.
    /// </summary>
    private sealed class LambdaDecay(SignClOptions options)
    {
        public double Factor { get; private set; } = 1.0;
        private double _jumpBleu;
        private int _jumpEpoch;

        public IReadOnlyDictionary<string, double> State => new Dictionary<string, double>
        {
            ["cl_decay"] = Factor, ["cl_decay_jump_bleu"] = _jumpBleu, ["cl_decay_jump_epoch"] = _jumpEpoch,
        };

        public void Restore(IReadOnlyDictionary<string, double> state)
        {
            if (state.TryGetValue("cl_decay", out var factor)) Factor = factor;
            if (state.TryGetValue("cl_decay_jump_bleu", out var bleu)) _jumpBleu = bleu;
            if (state.TryGetValue("cl_decay_jump_epoch", out var at)) _jumpEpoch = (int)at;
        }

        public void Observe(double bleu4, int epoch)
        {
            if (bleu4 > _jumpBleu + options.DecayMinBleuGain)
            {
                _jumpBleu = bleu4;
                _jumpEpoch = epoch;
            }
            else if (epoch - _jumpEpoch >= options.DecayPatienceEpochs)
            {
                Factor *= options.DecayFactor;
                _jumpEpoch = epoch;
            }
        }
    }
}
