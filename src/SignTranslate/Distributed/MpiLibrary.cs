using System.Runtime.InteropServices;

namespace SignTranslate.Distributed;

/// <summary>
/// The few MPI calls data-parallel training needs, bound by P/Invoke to Open MPI's <c>libmpi.so.40</c> (Debian/Ubuntu
/// package libopenmpi3, which openmpi-bin installs). No NuGet MPI binding works on Linux with .NET 10, and the binding
/// is small: this file is the only one that knows MPI. Open MPI's handles (MPI_COMM_WORLD, MPI_FLOAT, MPI_SUM …) are
/// the addresses of exported globals, read once with <see cref="NativeLibrary.GetExport"/>; MPICH's are integers, so
/// MPICH would need its own handle table here (docs/distributed.md).
/// </summary>
internal static unsafe class MpiLibrary
{
    /// <summary>The Open MPI runtime's soname (ABI version 40: Open MPI 3.x–4.x).</summary>
    public const string SoName = "libmpi.so.40";

    /// <summary>MPI_THREAD_SERIALIZED: any thread may call, one at a time (the trainer's thread does, .NET may move it).</summary>
    public const int ThreadSerialized = 2;

    /// <summary>Open MPI's MPI_IN_PLACE.</summary>
    public static readonly IntPtr InPlace = 1;

    private static readonly Lazy<IntPtr> Library = new(() =>
        NativeLibrary.TryLoad(SoName, out var handle) ? handle
            : throw new InputException($"data-parallel training needs Open MPI: {SoName} was not found (Debian/Ubuntu: apt-get install openmpi-bin, or scripts/setup.sh)"));

    public static bool IsInstalled => NativeLibrary.TryLoad(SoName, out _);

    public static IntPtr CommWorld => Export("ompi_mpi_comm_world");
    public static IntPtr Float => Export("ompi_mpi_float");
    public static IntPtr Double => Export("ompi_mpi_double");
    public static IntPtr Byte => Export("ompi_mpi_byte");
    public static IntPtr Int => Export("ompi_mpi_int");
    public static IntPtr Sum => Export("ompi_mpi_op_sum");
    public static IntPtr Max => Export("ompi_mpi_op_max");

    private static IntPtr Export(string name) => NativeLibrary.GetExport(Library.Value, name);

    public static int InitThread(int required)
    {
        int initialized;
        Check(((delegate* unmanaged<int*, int>)Export("MPI_Initialized"))(&initialized), "MPI_Initialized");
        if (initialized != 0) return required;
        int provided;
        Check(((delegate* unmanaged<int*, IntPtr, int, int*, int>)Export("MPI_Init_thread"))(null, IntPtr.Zero, required, &provided), "MPI_Init_thread");
        return provided;
    }

    public static int Rank()
    {
        int rank;
        Check(((delegate* unmanaged<IntPtr, int*, int>)Export("MPI_Comm_rank"))(CommWorld, &rank), "MPI_Comm_rank");
        return rank;
    }

    public static int Size()
    {
        int size;
        Check(((delegate* unmanaged<IntPtr, int*, int>)Export("MPI_Comm_size"))(CommWorld, &size), "MPI_Comm_size");
        return size;
    }

    /// <summary>In-place all-reduce of <paramref name="count"/> elements at <paramref name="buffer"/>.</summary>
    public static void AllreduceInPlace(IntPtr buffer, int count, IntPtr datatype, IntPtr op) =>
        Check(((delegate* unmanaged<IntPtr, IntPtr, int, IntPtr, IntPtr, IntPtr, int>)AllreducePointer.Value)(InPlace, buffer, count, datatype, op, CommWorld),
            "MPI_Allreduce");

    public static void Bcast(IntPtr buffer, int count, IntPtr datatype, int root) =>
        Check(((delegate* unmanaged<IntPtr, int, IntPtr, int, IntPtr, int>)Export("MPI_Bcast"))(buffer, count, datatype, root, CommWorld), "MPI_Bcast");

    public static void Abort(int code) => ((delegate* unmanaged<IntPtr, int, int>)Export("MPI_Abort"))(CommWorld, code);

    public static void FinalizeMpi()
    {
        int finalized;
        Check(((delegate* unmanaged<int*, int>)Export("MPI_Finalized"))(&finalized), "MPI_Finalized");
        if (finalized == 0) Check(((delegate* unmanaged<int>)Export("MPI_Finalize"))(), "MPI_Finalize");
    }

    private static readonly Lazy<IntPtr> AllreducePointer = new(() => Export("MPI_Allreduce"));

    // Open MPI's default error handler (MPI_ERRORS_ARE_FATAL) aborts the job before a call returns an error; this is
    // for handlers that return.
    private static void Check(int code, string call)
    {
        if (code != 0) throw new InvalidOperationException($"{call} failed with MPI error {code}");
    }
}
