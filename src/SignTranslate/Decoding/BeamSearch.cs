using SignTranslate.Models;
using static TorchSharp.torch;

namespace SignTranslate.Decoding;

/// <summary>
/// HF 4.32 beam search (BeamSearchScorer + BeamHypotheses): per step log_softmax + processors + running beam score,
/// top 2·K candidates over beam × vocab; an EOS candidate ranked below K is dropped, otherwise it becomes a finished
/// hypothesis scored sum_logprobs / len^length_penalty (len counts the start token, not the EOS); the other candidates
/// refill the K beams in order.
/// </summary>
internal static class BeamSearch
{
    public static GenerationResult Run(MBartForConditionalGeneration model, Tensor encoderHidden, Tensor? encoderMask,
        GenerationOptions options)
    {
        var batch = (int)encoderHidden.shape[0];
        var beams = options.NumBeams;
        var rows = batch * beams;
        var hidden = encoderHidden.repeat_interleave(beams, dim: 0);                     // [B·K,S,D]
        var mask = encoderMask?.repeat_interleave(beams, dim: 0);                        // [B·K,S]

        var sequences = Enumerable.Range(0, rows).Select(_ => new[] { options.DecoderStartTokenId }).ToArray();
        // Only beam 0 is live at first, so the first step does not pick K copies of the same token.
        var beamScores = new float[rows];
        for (var r = 0; r < rows; r++) beamScores[r] = r % beams == 0 ? 0f : -1e9f;
        var hypotheses = Enumerable.Range(0, batch).Select(_ => new BeamHypotheses(beams, options.LengthPenalty, options.EarlyStopping)).ToArray();
        var done = new bool[batch];
        using var cache = options.UseCache ? model.Decoder.NewCache() : null;

        while (true)
        {
            var currentLength = sequences[0].Length;
            float[] topScores;
            long[] topIds;
            var vocab = 0L;
            using (NewDisposeScope())
            {
                var logits = SequenceGenerator.NextTokenLogits(model, sequences, hidden, mask, cache);      // [N,V]
                vocab = logits.shape[1];
                var logProbs = SequenceGenerator.ForceEosAtLimit(nn.functional.log_softmax(logits, -1), currentLength, options);
                var running = tensor(beamScores, device: logits.device).unsqueeze(1);                       // [N,1]
                var candidates = (logProbs + running).view(batch, beams * vocab);                           // [B,K·V]
                var (values, indices) = candidates.topk(2 * beams, dim: 1, largest: true, sorted: true);    // [B,2K]
                topScores = values.cpu().data<float>().ToArray();
                topIds = indices.cpu().data<long>().ToArray();
            }

            var nextScores = new float[rows];
            var nextTokens = new long[rows];
            var sourceRows = new long[rows];
            for (var b = 0; b < batch; b++)
            {
                if (done[b])
                {
                    // HF fills finished entries with pad tokens, score 0 and source row 0.
                    for (var k = 0; k < beams; k++) { nextScores[b * beams + k] = 0; nextTokens[b * beams + k] = options.PadTokenId; sourceRows[b * beams + k] = 0; }
                    continue;
                }
                var filled = 0;
                for (var rank = 0; rank < 2 * beams && filled < beams; rank++)
                {
                    var score = topScores[b * 2 * beams + rank];
                    var id = topIds[b * 2 * beams + rank];
                    var token = id % vocab;
                    var source = b * beams + (int)(id / vocab);
                    if (token == options.EosTokenId)
                    {
                        if (rank >= beams) continue;
                        hypotheses[b].Add(sequences[source], score);
                    }
                    else
                    {
                        nextScores[b * beams + filled] = score;
                        nextTokens[b * beams + filled] = token;
                        sourceRows[b * beams + filled] = source;
                        filled++;
                    }
                }
                var best = topScores.Skip(b * 2 * beams).Take(2 * beams).Max();
                done[b] = done[b] || hypotheses[b].IsDone(best, currentLength + 1);
            }

            sequences = Enumerable.Range(0, rows).Select(r => (long[])[.. sequences[sourceRows[r]], nextTokens[r]]).ToArray();
            beamScores = nextScores;
            if (cache is not null)
                using (NewDisposeScope())
                    cache.Reorder(tensor(sourceRows, device: hidden.device));

            if (done.All(d => d) || sequences[0].Length >= options.MaxLength)
                break;
        }

        return Finalize(sequences, beamScores, hypotheses, done, options);
    }

    private static GenerationResult Finalize(long[][] sequences, float[] beamScores, BeamHypotheses[] hypotheses, bool[] done,
        GenerationOptions options)
    {
        var batch = hypotheses.Length;
        var beams = options.NumBeams;
        for (var b = 0; b < batch; b++)
        {
            if (done[b]) continue;
            for (var k = 0; k < beams; k++)
                hypotheses[b].Add(sequences[b * beams + k], beamScores[b * beams + k]);
        }

        var best = hypotheses.Select(h => h.Best()).ToArray();
        var width = Math.Min(best.Max(h => h.Tokens.Length) + 1, options.MaxLength);
        var output = new long[batch][];
        for (var b = 0; b < batch; b++)
        {
            var row = Enumerable.Repeat(options.PadTokenId, width).ToArray();
            Array.Copy(best[b].Tokens, row, best[b].Tokens.Length);
            if (best[b].Tokens.Length < width)
                row[best[b].Tokens.Length] = options.EosTokenId;
            output[b] = row;
        }
        // HF keeps the chosen scores in a float32 tensor.
        return new GenerationResult(output, best.Select(h => (double)(float)h.Score).ToArray());
    }
}

/// <summary>HF's BeamHypotheses: the best <c>numBeams</c> finished hypotheses of one batch entry.</summary>
internal sealed class BeamHypotheses(int numBeams, double lengthPenalty, bool earlyStopping)
{
    private readonly List<(double Score, long[] Tokens)> _beams = [];
    private double _worstScore = 1e9;

    /// <summary>Adds a hypothesis (tokens without the EOS) with the summed log-probability of its tokens.</summary>
    public void Add(long[] tokens, double sumLogProbs)
    {
        var score = sumLogProbs / Math.Pow(tokens.Length, lengthPenalty);
        if (_beams.Count < numBeams || score > _worstScore)
        {
            _beams.Add((score, tokens));
            if (_beams.Count > numBeams)
            {
                var order = _beams.Select((b, i) => (b.Score, Index: i)).OrderBy(x => x.Score).ToList();
                _beams.RemoveAt(order[0].Index);
                _worstScore = order[1].Score;
            }
            else
            {
                _worstScore = Math.Min(score, _worstScore);
            }
        }
    }

    /// <summary>True once no open beam can improve the list (HF's is_done).</summary>
    public bool IsDone(double bestSumLogProbs, int currentLength)
    {
        if (_beams.Count < numBeams) return false;
        if (earlyStopping) return true;
        return _worstScore >= bestSumLogProbs / Math.Pow(currentLength, lengthPenalty);
    }

    /// <summary>The highest-scoring hypothesis; among equal scores the later-added one, as Python's stable sort + pop.</summary>
    public (double Score, long[] Tokens) Best() =>
        _beams.Select((b, i) => (b, i)).OrderBy(x => x.b.Score).ThenBy(x => x.i).Last().b;
}
