namespace SignTranslate.Losses;

/// <summary>
/// Draws the positive and negative frames of every anchor of one sequence. Injectable so that tests and benchmarks can
/// replay recorded draws (<see cref="RecordedSignClSampler"/>); training uses <see cref="SeededSignClSampler"/>.
/// </summary>
public interface ISignClSampler
{
    /// <summary>
    /// Draws for anchors 1 .. <paramref name="frames"/> − 3: up to <paramref name="positiveSamples"/> of the neighbours
    /// {i − 1, i + 1}, and up to <paramref name="negativeSamples"/> distinct frames j in [2, frames − 3] with
    /// j &lt; i − margin or j &gt; i + margin.
    /// </summary>
    SequenceDraw Draw(int frames, int margin, int positiveSamples, int negativeSamples);
}
