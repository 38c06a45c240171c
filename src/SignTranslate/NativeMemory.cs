using System.Runtime.InteropServices;

namespace SignTranslate;

/// <summary>
/// How LibTorch's CPU tensors take memory from the operating system (Linux only; elsewhere nothing changes). A training
/// step of the paper-size model allocates and frees gigabytes of activations, and on a 2-core machine the default
/// behaviour made more than half of the step's time system time and kept a gigabyte of freed blocks resident between
/// steps (docs/benchmarks.md#training-step). <see cref="Configure"/> must run before the first tensor exists, since
/// LibTorch reads its setting at its first allocation.
/// </summary>
public static class NativeMemory
{
    /// <summary>LibTorch (2.1 and later) backs allocations of 2 MiB and more with transparent huge pages when this is 1.</summary>
    public const string HugePagesVariable = "THP_MEM_ALLOC_ENABLE";

    /// <summary>Blocks at least this large are mapped from the system on allocation and unmapped when freed.</summary>
    public const int MapThresholdBytes = 1 << 20;

    // mallopt parameter number of M_MMAP_THRESHOLD in glibc's malloc.h.
    private const int MallocMapThreshold = -3;

    /// <summary>
    /// Turns on huge pages for LibTorch's large allocations, by setting <see cref="HugePagesVariable"/> in the native
    /// environment where LibTorch reads it (.NET's <see cref="Environment.SetEnvironmentVariable(string, string)"/> does not
    /// write there on Unix) unless the user set it already (0 turns it off): a 2 MiB page is one page fault instead of 512.
    /// And fixes glibc's mmap threshold at <see cref="MapThresholdBytes"/>: by default the threshold grows with every
    /// large block freed (up to 32 MiB), after which blocks of many megabytes come from the heap, where freed ones stay
    /// resident and fragment, and the next step's activations are mapped beside them.
    /// </summary>
    public static void Configure()
    {
        if (!OperatingSystem.IsLinux()) return;
        _ = setenv(HugePagesVariable, "1", overwrite: 0);
        _ = mallopt(MallocMapThreshold, MapThresholdBytes);
    }

    [DllImport("libc", EntryPoint = "setenv")]
    private static extern int setenv([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int mallopt(int parameter, int value);
}
