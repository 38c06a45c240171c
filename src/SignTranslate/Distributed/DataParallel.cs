namespace SignTranslate.Distributed;

/// <summary>How a training command finds out whether it is one process of a data-parallel run.</summary>
public static class DataParallel
{
    /// <summary>
    /// The processes this one was launched with by <c>mpirun -np N</c> (N ≥ 2), or null when it runs alone (no launcher,
    /// or N = 1). A future NCCL backend would be chosen here (docs/distributed.md).
    /// </summary>
    public static IProcessGroup? FromLauncher()
    {
        if (!MpiProcessGroup.LaunchedByMpirun) return null;
        var group = MpiProcessGroup.Join();
        if (group.Size > 1) return group;
        group.Dispose();
        return null;
    }

    /// <summary>This process's index among those on its machine (the GPU it takes), as the launcher tells it.</summary>
    public static int LocalRank =>
        int.TryParse(Environment.GetEnvironmentVariable("OMPI_COMM_WORLD_LOCAL_RANK"), out var rank) ? rank : 0;
}
