namespace SignTranslate.Tests;

/// <summary>
/// Tests that use process-wide state: LibTorch's global random generator (weight init, randn, dropout) compared
/// across runs, or the global Serilog logger (every CLI command reconfigures it). xunit runs test classes in
/// parallel, and another class touching the same state in between would change the result, so these run alone,
/// after the parallel ones.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessStateCollection
{
    public const string Name = "process-wide state (global RNG, logger)";
}
