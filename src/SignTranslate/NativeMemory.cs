using System.Runtime.InteropServices;

namespace SignTranslate;

/// <summary>
/// How LibTorch's CPU tensors take memory from the operating system (Linux only; elsewhere nothing changes). A training
/// step of the paper-size model allocates and frees gigabytes of activations, and on a 2-core machine the default
/// behaviour made more than half of the step's time system time and kept a gigabyte of freed blocks resident between
/// steps (docs/benchmarks.md#training-step). <see cref="Configure"/> must run before the first tensor exists, since
/// LibTorch reads its setting at its first allocation; <see cref="ReleaseFreeMemory"/> runs after each training step.
/// </summary>
public static class NativeMemory
{
    /// <summary>LibTorch (2.1 and later) backs allocations of 2 MiB and more with transparent huge pages when this is 1.</summary>
    public const string HugePagesVariable = "THP_MEM_ALLOC_ENABLE";

    /// <summary>Free heap memory above which <see cref="ReleaseFreeMemory"/> gives it back to the system.</summary>
    public const long ReleaseThresholdBytes = 256L << 20;

    /// <summary>The mmap threshold <see cref="ReturnFreedBlocksAtOnce"/> fixes.</summary>
    public const int MapThresholdBytes = 1 << 20;

    // mallopt parameter number of M_MMAP_THRESHOLD in glibc's malloc.h.
    private const int MallocMapThreshold = -3;

    /// <summary>
    /// Turns on huge pages for LibTorch's large allocations, by setting <see cref="HugePagesVariable"/> in the native
    /// environment where LibTorch reads it (.NET's <see cref="Environment.SetEnvironmentVariable(string, string)"/> does not
    /// write there on Unix) unless the user set it already (0 turns it off): a 2 MiB page is one page fault instead of 512.
    /// </summary>
    public static void Configure()
    {
        if (!OperatingSystem.IsLinux()) return;
        _ = setenv(HugePagesVariable, "1", overwrite: 0);
    }

    /// <summary>
    /// Gives the heap's free memory back to the system when it exceeds <see cref="ReleaseThresholdBytes"/>; the trainer
    /// calls it after each step. Blocks under glibc's mmap threshold (which grows to 32 MiB as large blocks are freed)
    /// come from the heap, and freed ones stay resident: after a step of the paper-size model, a gigabyte of them (the
    /// optimizer's per-parameter temporaries, mostly), which the next step's larger activations, mapped separately,
    /// cannot reuse — so it added to the peak. A small model's step leaves little free heap, and keeps it for reuse,
    /// since giving it back would cost it fresh page faults every step.
    /// </summary>
    public static void ReleaseFreeMemory()
    {
        if (!OperatingSystem.IsLinux()) return;
        if ((long)mallinfo2().FreeBytes > ReleaseThresholdBytes) _ = malloc_trim(0);
    }

    [DllImport("libc", EntryPoint = "mallinfo2")]
    private static extern MallocInfo mallinfo2();

    /// <summary>
    /// For the memory savers (<c>model.memory</c>): fixes glibc's mmap threshold at <see cref="MapThresholdBytes"/>, so
    /// that every block of a mebibyte or more is mapped on allocation and unmapped when freed, and no freed block
    /// waits in the heap for the end of the step. It costs a small model half its speed (its multi-megabyte tensors
    /// are faulted in anew every step), which is why it is not the default (docs/benchmarks.md#memory-savers).
    /// </summary>
    public static void ReturnFreedBlocksAtOnce()
    {
        if (!OperatingSystem.IsLinux()) return;
        _ = mallopt(MallocMapThreshold, MapThresholdBytes);
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int mallopt(int parameter, int value);

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int malloc_trim(nuint pad);

    [DllImport("libc", EntryPoint = "setenv")]
    private static extern int setenv([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);

}

/// <summary>glibc's <c>struct mallinfo2</c> (glibc 2.33 and later): ten size_t fields; <c>fordblks</c>, the free bytes in the heap, is <see cref="FreeBytes"/>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct MallocInfo
{
    public nuint Arena, OrdinaryBlocks, SmallBlocks, MappedBlocks, MappedBytes, MaxUsed, FreeFastBytes, UsedBytes, FreeBytes, TopReleasable;
}
