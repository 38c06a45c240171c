using SignTranslate.Checkpoints;
using SignTranslate.Distributed;
using static TorchSharp.torch;

namespace SignTranslate.Training;

/// <summary>
/// The scalars a run logs, kept where they were produced until the host needs them. A value a step logs as a tensor (a
/// loss, a gradient norm) is added, detached and as float64, to its epoch sum on its device; a host number (a learning
/// rate, λ) to a host sum. <see cref="ReadStep"/> brings the step's tensors and every device sum to the host in one
/// transfer per device, which the trainer does once per log interval and at the end of an epoch, so that the steps in
/// between never wait for the device. Float64 sums of the logged values, added in step order, are the sums the trainer
/// kept on the host before (each value rounded to float32 first, as <c>item&lt;float&gt;()</c> did), so the epoch means
/// are the same to the last bit. A step of several micro-batches (gradient accumulation) logs a value once per
/// micro-batch; the step's value is their mean, added to the epoch sum when the step ends (or is read).
/// </summary>
public sealed class LoggedScalars : IDisposable
{
    /// <summary>An epoch sum: on the host until a tensor is added, then on that tensor's device.</summary>
    private sealed class Sum
    {
        public double Host;
        public Tensor? Device;
        public int Count;
    }

    private readonly Dictionary<string, Sum> _sums = [];
    private readonly List<string> _order = [];
    /// <summary>A value of the current step: one per step, or the sum of one per micro-batch (owned here, not by a scope).</summary>
    private sealed class StepValue(string name)
    {
        public string Name => name;
        public double Host;
        public Tensor? Device;
        public int Count;
    }

    private readonly List<StepValue> _step = [];
    private readonly HashSet<string> _part = [];
    private bool _stepOpen;
    private bool _committed;
    private Dictionary<string, RunningSum>? _readSums;

    private readonly IProcessGroup? _group;

    /// <summary>The epoch's sums so far: those of a checkpoint being resumed, or none.</summary>
    /// <param name="group">The processes of a data-parallel run: each read averages the values over them (every process
    /// reads at the same steps), so that process 0 logs the means over all micro-batches; null in one process.</param>
    public LoggedScalars(IReadOnlyDictionary<string, RunningSum> sums, IProcessGroup? group = null)
    {
        _group = group;
        foreach (var (name, sum) in sums)
        {
            _order.Add(name);
            _sums[name] = new Sum { Host = sum.Sum, Count = sum.Count };
        }
    }

    /// <summary>
    /// Transfers of logged values to the host so far. Each is one device synchronisation when the values live on a
    /// GPU; the tests count them to prove a step takes none.
    /// </summary>
    public int HostReads { get; private set; }

    /// <summary>Starts a step: what follows is logged for it, inside its dispose scope.</summary>
    public void BeginStep()
    {
        ClearStep();
        _stepOpen = true;
        _committed = false;
    }

    /// <summary>Ends the step: its values join the epoch sums; the sums live on.</summary>
    public void EndStep()
    {
        Commit();
        ClearStep();
        _stepOpen = false;
    }

    /// <summary>Starts a micro-batch of the step: a name may be logged once per micro-batch, and its values are averaged.</summary>
    public void BeginMicroBatch() => _part.Clear();

    /// <summary>Ends a micro-batch: what follows is logged once per step again.</summary>
    public void EndMicroBatch() => _part.Clear();

    /// <summary>Logs a host number of the current step.</summary>
    public void Add(string name, double value)
    {
        var entry = Begin(name, onDevice: false);
        entry.Host += value;
        entry.Count++;
    }

    /// <summary>Logs a one-element tensor of the current step (detached, so it keeps no graph alive).</summary>
    public void Add(string name, Tensor value)
    {
        if (value.numel() != 1)
            throw new ArgumentException($"{name}: a logged tensor must hold one value, not shape [{string.Join(", ", value.shape)}].", nameof(value));
        var entry = Begin(name, onDevice: true);
        var scalar = value.detach().reshape([]).to(ScalarType.Float64);
        if (entry.Device is null)
        {
            entry.Device = scalar.DetachFromDisposeScope();
        }
        else
        {
            // Out of place: the first value may share the logged tensor's storage.
            var total = entry.Device.add(scalar).DetachFromDisposeScope();
            entry.Device.Dispose();
            entry.Device = total;
        }
        entry.Count++;
    }

    /// <summary>
    /// The values the current step logged, in the order it logged them, with the sums read along in the same transfer
    /// (so that <see cref="Sums"/> after the epoch's last step reads nothing more).
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, double>> ReadStep()
    {
        if (!_stepOpen) throw new InvalidOperationException("ReadStep is only valid inside a step: its tensors die with the step's dispose scope.");
        var means = Commit();
        var stepTensors = means.Where(e => e.Device is not null).Select(e => e.Device!).ToList();
        var values = Read([.. stepTensors, .. DeviceSums().Select(s => s.Device!)]);
        var next = 0;
        var step = means.Select(e => KeyValuePair.Create(e.Name, e.Device is null ? e.Host : values[next++])).ToList();
        _readSums = HostSums(values.AsSpan(next));
        return step;
    }

    /// <summary>The running sums of the epoch, read from the device unless nothing was logged since the last read.</summary>
    public IReadOnlyDictionary<string, RunningSum> Sums()
    {
        _readSums ??= HostSums(Read(DeviceSums().Select(s => s.Device!).ToList()));
        return _readSums;
    }

    /// <summary>Starts the next epoch's sums.</summary>
    public void Reset()
    {
        Dispose();
        _sums.Clear();
        _order.Clear();
        _readSums = null;
    }

    public void Dispose()
    {
        foreach (var sum in _sums.Values) sum.Device?.Dispose();
        ClearStep();
    }

    private StepValue Begin(string name, bool onDevice)
    {
        if (!_stepOpen) throw new InvalidOperationException($"{name}: scalars are logged inside a step.");
        if (_committed) throw new InvalidOperationException($"{name}: the step's values were already read.");
        if (!_part.Add(name)) throw new InvalidOperationException($"{name} was logged twice in one step.");
        var entry = _step.Find(e => e.Name == name);
        if (entry is null) _step.Add(entry = new StepValue(name));
        else if ((entry.Device is not null) != onDevice) throw new InvalidOperationException($"{name} was logged both as a tensor and as a number.");
        _readSums = null;
        return entry;
    }

    /// <summary>
    /// Adds the step's values (each the mean over the micro-batches that logged it) to the epoch sums, once; returns the
    /// step's values. A value logged once is added as it is, so a step without micro-batches sums what it always did.
    /// </summary>
    private IReadOnlyList<(string Name, double Host, Tensor? Device)> Commit()
    {
        var means = new List<(string Name, double Host, Tensor? Device)>();
        foreach (var entry in _step)
        {
            if (entry.Count > 1)
            {
                var total = entry.Device;
                entry.Device = total?.div(entry.Count).DetachFromDisposeScope();
                total?.Dispose();
                entry.Host /= entry.Count;
                entry.Count = 1;
            }
            means.Add((entry.Name, entry.Host, entry.Device));
        }
        if (_committed) return means;
        _committed = true;
        foreach (var (name, host, scalar) in means)
        {
            var sum = SumOf(name);
            if (scalar is null)
            {
                // A host number joins a device sum on the device: adding a scalar there needs no transfer.
                if (sum.Device is null) sum.Host += host;
                else sum.Device.add_(host);
            }
            else if (sum.Device is null)
            {
                // The first value starts the sum (count 1), as the host-side sums did; a resumed sum is carried over.
                sum.Device = (sum.Count == 0 ? scalar.clone() : full([], sum.Host, ScalarType.Float64, scalar.device).add_(scalar))
                    .DetachFromDisposeScope();
            }
            else
            {
                sum.Device.add_(scalar);
            }
            sum.Count++;
        }
        _readSums = null;
        return means;
    }

    private Sum SumOf(string name)
    {
        if (_sums.TryGetValue(name, out var sum)) return sum;
        _order.Add(name);
        return _sums[name] = new Sum();
    }

    private void ClearStep()
    {
        foreach (var entry in _step) entry.Device?.Dispose();
        _step.Clear();
        _part.Clear();
    }

    private IEnumerable<Sum> DeviceSums() => _order.Select(name => _sums[name]).Where(s => s.Device is not null);

    private Dictionary<string, RunningSum> HostSums(ReadOnlySpan<double> deviceValues)
    {
        var sums = new Dictionary<string, RunningSum>();
        var next = 0;
        foreach (var name in _order)
        {
            var sum = _sums[name];
            sums[name] = new RunningSum(sum.Device is null ? sum.Host : deviceValues[next++], sum.Count);
        }
        return sums;
    }

    /// <summary>The values of one-element float64 tensors, in order: one transfer per device they live on.</summary>
    private double[] Read(IReadOnlyList<Tensor> tensors)
    {
        var values = new double[tensors.Count];
        using var scope = NewDisposeScope();
        foreach (var group in Enumerable.Range(0, tensors.Count).GroupBy(i => (tensors[i].device_type, tensors[i].device_index)))
        {
            var indices = group.ToList();
            var host = stack(indices.Select(i => tensors[i]).ToArray()).cpu().data<double>().ToArray();
            HostReads++;
            for (var k = 0; k < indices.Count; k++) values[indices[k]] = host[k];
        }
        if (_group is { Size: > 1 } processes && values.Length > 0)
        {
            // Each process's values are its micro-batches' means (and sums of them): their mean is that of all micro-batches.
            var all = tensor(values);
            processes.SumInPlace([all]);
            values = all.div_(processes.Size).data<double>().ToArray();
        }
        return values;
    }
}
