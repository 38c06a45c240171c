using SignTranslate.Data;
using SignTranslate.Training.Tasks;
using static TorchSharp.torch;

namespace SignTranslate.Tests.Training;

/// <summary>A training task that runs code after a step or before a dev evaluation, e.g. a Ctrl+C at that moment.</summary>
public sealed class InterceptingTask(ITrainingTask inner, Action<StepPosition>? afterStep = null, Action<int>? beforeEvaluation = null) : ITrainingTask
{
    public string Stage => inner.Stage;
    public bool NeedsMaskedText => inner.NeedsMaskedText;
    public IReadOnlyList<OptimizerSlot> Optimizers => inner.Optimizers;
    public int EvaluationBatchSize => inner.EvaluationBatchSize;
    public IReadOnlyDictionary<string, double> TaskState => inner.TaskState;
    public IEnumerable<KeyValuePair<string, Tensor>> StateDict() => inner.StateDict();
    public IEnumerable<Tensor> Buffers() => inner.Buffers();
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state) => inner.LoadStateDict(state);
    public void RestoreTaskState(IReadOnlyDictionary<string, double> state) => inner.RestoreTaskState(state);
    public void SetTraining(bool training) => inner.SetTraining(training);
    public void BeginEpoch(int epoch) => inner.BeginEpoch(epoch);
    public void Dispose() => inner.Dispose();

    public EvaluationResult Evaluate(IEnumerable<SignBatch> batches, int epoch, CancellationToken cancel)
    {
        beforeEvaluation?.Invoke(epoch);
        return inner.Evaluate(batches, epoch, cancel);
    }

    public void TrainStep(IReadOnlyList<MicroBatch> batches, IStepContext step)
    {
        inner.TrainStep(batches, step);
        afterStep?.Invoke(step.Position);
    }
}
