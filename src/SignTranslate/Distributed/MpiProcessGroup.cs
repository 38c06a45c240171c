using System.Runtime.InteropServices;
using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace SignTranslate.Distributed;

/// <summary>
/// Data-parallel processes on MPI (<see cref="MpiLibrary"/>): started by <c>mpirun -np N slt …</c>, one process per device,
/// on one machine or several (the launcher's host file). Gradients are summed in buckets of about
/// <see cref="BucketBytes"/> (DistributedDataParallel's default size): each bucket's tensors are packed into one
/// contiguous host buffer, all-reduced in place, and copied back. CUDA tensors are staged through that host buffer too
/// (no CUDA-aware MPI is assumed), which costs a device-to-host and a host-to-device copy per bucket; docs/distributed.md.
/// </summary>
public sealed class MpiProcessGroup : IProcessGroup
{
    /// <summary>Bytes per all-reduce bucket: DDP's 25 MiB.</summary>
    public const long BucketBytes = 25L << 20;

    private bool _finalized;

    private MpiProcessGroup(int rank, int size)
    {
        Rank = rank;
        Size = size;
    }

    public int Rank { get; }
    public int Size { get; }

    /// <summary>Whether this process was started by Open MPI's launcher (mpirun / mpiexec set these variables).</summary>
    public static bool LaunchedByMpirun => Environment.GetEnvironmentVariable("OMPI_COMM_WORLD_SIZE") is not null;

    /// <summary>Joins the MPI job this process was launched in.</summary>
    public static MpiProcessGroup Join()
    {
        var provided = MpiLibrary.InitThread(MpiLibrary.ThreadSerialized);
        if (provided < MpiLibrary.ThreadSerialized)
            throw new InvalidOperationException($"the MPI library provides thread level {provided}; slt needs MPI_THREAD_SERIALIZED (2)");
        return new MpiProcessGroup(MpiLibrary.Rank(), MpiLibrary.Size());
    }

    public string Describe() => $"Open MPI, {Size} processes; all-reduce in {BucketBytes >> 20} MiB host buckets (device tensors staged through host memory)";

    public void SumInPlace(IReadOnlyList<Tensor> tensors)
    {
        foreach (var bucket in Buckets(tensors))
        {
            using var scope = NewDisposeScope();
            var dtype = bucket[0].dtype;
            var datatype = dtype switch
            {
                ScalarType.Float32 => MpiLibrary.Float,
                ScalarType.Float64 => MpiLibrary.Double,
                _ => throw new NotSupportedException($"all-reduce of {dtype} tensors"),
            };
            // One contiguous host buffer per bucket: a lone contiguous host tensor is reduced where it lies.
            var direct = bucket.Count == 1 && bucket[0].device_type == DeviceType.CPU && bucket[0].is_contiguous();
            var flat = direct ? bucket[0] : cat(bucket.Select(t => t.detach().reshape(-1).cpu()).ToArray());
            foreach (var (offset, count) in Chunks(flat.numel()))
                MpiLibrary.AllreduceInPlace(TensorMemory.Pointer(flat) + (nint)(offset * flat.element_size()), count, datatype, MpiLibrary.Sum);
            if (direct) continue;
            long at = 0;
            using var noGrad = no_grad();
            foreach (var tensor in bucket)
            {
                tensor.copy_(flat.narrow(0, at, tensor.numel()).view_as(tensor));
                at += tensor.numel();
            }
        }
    }

    public void BroadcastFromFirst(IReadOnlyList<Tensor> tensors)
    {
        using var noGrad = no_grad();
        foreach (var tensor in tensors)
        {
            using var scope = NewDisposeScope();
            var direct = tensor.device_type == DeviceType.CPU && tensor.is_contiguous();
            var host = direct ? tensor : tensor.detach().contiguous().cpu();
            var bytes = host.numel() * host.element_size();
            foreach (var (offset, count) in Chunks(bytes))
                MpiLibrary.Bcast(TensorMemory.Pointer(host) + (nint)offset, count, MpiLibrary.Byte, root: 0);
            if (!direct) tensor.copy_(host);
        }
    }

    public bool Any(bool value)
    {
        var flag = new int[] { value ? 1 : 0 };
        var pinned = GCHandle.Alloc(flag, GCHandleType.Pinned);
        try
        {
            MpiLibrary.AllreduceInPlace(pinned.AddrOfPinnedObject(), 1, MpiLibrary.Int, MpiLibrary.Max);
        }
        finally
        {
            pinned.Free();
        }
        return flag[0] != 0;
    }

    public string Broadcast(string text)
    {
        var length = new int[] { Encoding.UTF8.GetByteCount(text) };
        Pinned(length, address => MpiLibrary.Bcast(address, 1, MpiLibrary.Int, root: 0));
        var bytes = Rank == 0 ? Encoding.UTF8.GetBytes(text) : new byte[length[0]];
        if (bytes.Length > 0) Pinned(bytes, address => MpiLibrary.Bcast(address, bytes.Length, MpiLibrary.Byte, root: 0));
        return Encoding.UTF8.GetString(bytes);
    }

    public void Abort(int exitCode) => MpiLibrary.Abort(exitCode);

    public void Dispose()
    {
        if (_finalized) return;
        _finalized = true;
        MpiLibrary.FinalizeMpi();
    }

    private static void Pinned(Array array, Action<IntPtr> use)
    {
        var handle = GCHandle.Alloc(array, GCHandleType.Pinned);
        try
        {
            use(handle.AddrOfPinnedObject());
        }
        finally
        {
            handle.Free();
        }
    }

    /// <summary>Consecutive tensors of one dtype, about <see cref="BucketBytes"/> each (a larger tensor is a bucket of its own).</summary>
    private static IEnumerable<List<Tensor>> Buckets(IReadOnlyList<Tensor> tensors)
    {
        var bucket = new List<Tensor>();
        long bytes = 0;
        foreach (var tensor in tensors)
        {
            var size = tensor.numel() * tensor.element_size();
            if (bucket.Count > 0 && (bytes + size > BucketBytes || bucket[0].dtype != tensor.dtype))
            {
                yield return bucket;
                bucket = [];
                bytes = 0;
            }
            bucket.Add(tensor);
            bytes += size;
        }
        if (bucket.Count > 0) yield return bucket;
    }

    /// <summary>MPI counts are ints: a larger buffer goes in pieces.</summary>
    private static IEnumerable<(long Offset, int Count)> Chunks(long total)
    {
        for (long offset = 0; offset < total; offset += int.MaxValue)
            yield return (offset, (int)Math.Min(int.MaxValue, total - offset));
    }
}
