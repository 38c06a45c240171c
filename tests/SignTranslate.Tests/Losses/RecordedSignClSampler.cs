using SignTranslate.Losses;

namespace SignTranslate.Tests.Losses;

/// <summary>
/// Replays recorded draws in order, one per <see cref="Draw"/> call (e.g. the draws stored in the reference vectors).
/// Throws when asked for a sequence length other than the recorded one, or for more draws than were recorded.
/// </summary>
public sealed class RecordedSignClSampler(IEnumerable<SequenceDraw> draws) : ISignClSampler
{
    private readonly Queue<SequenceDraw> _draws = new(draws);

    public int Remaining => _draws.Count;

    public SequenceDraw Draw(int frames, int margin, int positiveSamples, int negativeSamples)
    {
        if (!_draws.TryDequeue(out var draw))
            throw new InvalidOperationException("No recorded SignCL draw left to replay.");
        if (draw.Frames != frames)
            throw new InvalidOperationException($"Recorded SignCL draw is for {draw.Frames} frames, but {frames} were requested.");
        return draw;
    }
}
