using TorchSharp;
using static TorchSharp.torch;

namespace SignTranslate.Models;

/// <summary>
/// Activation checkpointing (PyTorch's reentrant <c>torch.utils.checkpoint</c>): a segment of a network runs without
/// keeping its activations; only its inputs are kept, and backward runs the segment again, with gradients, to
/// propagate through it. Memory for time: one more forward of the segment per step. The recomputation sees the same
/// values as the first run: the CPU random state (dropout) is replayed and the segment's buffers (BatchNorm running
/// statistics) are put back, so a checkpointed step updates the model exactly as a plain one (docs/models.md#memory).
/// </summary>
public static class ActivationCheckpoint
{
    /// <summary>
    /// <paramref name="segment"/> applied to <paramref name="inputs"/>, checkpointed when gradients are being recorded.
    /// Everything the segment reads that needs a gradient must come through <paramref name="inputs"/> (tensors it
    /// captures, like masks, must not require one); its parameters and buffers must belong to <paramref name="owner"/>.
    /// <paramref name="stochastic"/>: the segment draws random numbers (active dropout), which can only be replayed
    /// on the CPU.
    /// </summary>
    public static Tensor Run(nn.Module owner, Func<Tensor[], Tensor> segment, bool stochastic, params Tensor[] inputs)
    {
        var trainable = owner.parameters().FirstOrDefault(p => p.requires_grad);
        if (!is_grad_enabled() || (trainable is null && !inputs.Any(t => t.requires_grad)))
            return segment(inputs);
        if (stochastic && inputs.Any(t => t.device_type != DeviceType.CPU))
            throw new InvalidOperationException(
                "activation checkpointing of a layer with active dropout needs the random state of the device, which " +
                "TorchSharp exposes for the CPU only: set the dropout to 0 or turn the layer checkpointing off (docs/models.md#memory)");

        var state = new SegmentState(owner, segment, inputs.Length);
        // A trainable parameter joins the inputs so that the function is part of the graph even when no input needs a
        // gradient (the first frames of a network); its gradient, like every parameter's, comes from the recomputation.
        var arguments = new object?[inputs.Length + 2];
        arguments[0] = state;
        Array.Copy(inputs, 0, arguments, 1, inputs.Length);
        arguments[^1] = trainable;
        var output = CheckpointedSegment.apply(arguments!);
        // The function's forward made a handle of its own for the output; the graph holds what it needs.
        state.ForwardOutput?.Dispose();
        state.ForwardOutput = null;
        return output;
    }

    private sealed class SegmentState(nn.Module owner, Func<Tensor[], Tensor> segment, int inputCount)
    {
        public nn.Module Owner => owner;
        public Func<Tensor[], Tensor> Segment => segment;
        public int InputCount => inputCount;
        public Tensor? RandomState { get; set; }
        public Tensor? ForwardOutput { get; set; }

        // The inputs, detached, and which of them need a gradient. Kept here rather than with save_for_backward: the
        // context would hold them (and through them every earlier segment's output) until the whole graph is freed at
        // the end of the step; backward releases these as soon as it has run.
        public Tensor[]? Inputs { get; set; }
        public bool[]? InputsRequireGrad { get; set; }
    }

    private sealed class CheckpointedSegment : autograd.SingleTensorFunction<CheckpointedSegment>
    {
        private const string StateKey = "segment";

        // Gradients returned by earlier backward calls on this thread. The autograd engine takes its own reference when a
        // call returns, so the handles can go at the next call; left to the step's dispose scope, every segment's
        // input gradient would stay resident until the step ends.
        [ThreadStatic] private static List<Tensor>? returnedGradients;

        public override string Name => "ActivationCheckpoint";

        public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
        {
            var state = (SegmentState)vars[0];
            var inputs = vars.Skip(1).Take(state.InputCount).Cast<Tensor>().ToArray();
            state.RandomState = random.get_rng_state();
            Tensor output;
            // Runs without gradient (autograd functions' forward always does); the segment's intermediates go with
            // this scope, only its output survives.
            using (var scope = NewDisposeScope())
                output = state.Segment(inputs).MoveToOuterDisposeScope();
            state.ForwardOutput = output;
            state.Inputs = [.. inputs.Select(t => t.detach())];
            state.InputsRequireGrad = [.. inputs.Select(t => t.requires_grad)];
            ctx.save_data(StateKey, state);
            return output;
        }

        public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
        {
            ReleaseReturnedGradients();
            var state = (SegmentState)ctx.get_data(StateKey);
            List<Tensor?> gradients = [null];
            using (var scope = NewDisposeScope())
            {
                var inputs = state.Inputs!.Select((t, i) => t.detach().requires_grad_(state.InputsRequireGrad![i])).ToArray();
                var buffers = state.Owner.buffers().ToList();
                Tensor[] kept;
                using (no_grad()) kept = [.. buffers.Select(b => b.clone())];
                var current = random.get_rng_state();
                random.set_rng_state(state.RandomState!);
                Tensor output;
                try
                {
                    using (enable_grad())
                        output = state.Segment(inputs);
                    // Parameter gradients accumulate into .grad here, as in PyTorch's reentrant checkpoint.
                    autograd.backward([output], [grad_output]);
                }
                finally
                {
                    random.set_rng_state(current);
                    // Only now: BatchNorm's backward reads the running statistics as they were when it ran.
                    using (no_grad())
                        for (var i = 0; i < buffers.Count; i++) buffers[i].copy_(kept[i]);
                }
                foreach (var input in inputs)
                {
                    var gradient = input.requires_grad ? input.grad : null;
                    gradients.Add(gradient?.MoveToOuterDisposeScope());
                    if (gradient is not null) (returnedGradients ??= []).Add(gradient);
                }
            }
            state.RandomState?.Dispose();
            state.RandomState = null;
            foreach (var input in state.Inputs!) input.Dispose();
            state.Inputs = null;
            grad_output.Dispose();
            gradients.Add(null);   // the trainable parameter that anchors the function in the graph
            return gradients!;
        }

        private static void ReleaseReturnedGradients()
        {
            if (returnedGradients is null) return;
            foreach (var gradient in returnedGradients) gradient.Dispose();
            returnedGradients.Clear();
        }
    }
}
