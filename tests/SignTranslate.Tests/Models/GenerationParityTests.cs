using System.Text.Json;
using SignTranslate.Decoding;
using static TorchSharp.torch;

namespace SignTranslate.Tests.Models;

/// <summary>Greedy and beam search against HF 4.32 <c>generate()</c> runs, with and without the decoder cache.</summary>
public class GenerationParityTests
{
    private const double ScoreTolerance = 1e-5;

    /// <summary>Every run of every <c>*_generate.json</c> the manifest lists.</summary>
    public static TheoryData<string, string> Runs
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var file in ModelVectors.FileNames(f => f.EndsWith("_generate.json", StringComparison.Ordinal)))
            {
                using var doc = JsonDocument.Parse(File.ReadAllText(ModelVectors.PathOf(file)));
                foreach (var run in doc.RootElement.EnumerateObject())
                    if (run.Value.ValueKind == JsonValueKind.Object && run.Value.TryGetProperty("sequences", out _))
                        data.Add(file, run.Name);
            }
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Runs))]
    public void GenerateMatchesReference(string file, string run)
    {
        using var scope = NewDisposeScope();
        using var doc = JsonDocument.Parse(File.ReadAllText(ModelVectors.PathOf(file)));
        var spec = doc.RootElement.GetProperty(run);
        var weights = doc.RootElement.GetProperty("weights_file").GetString()!;
        var casesFile = weights.Replace("_weights.", "_cases.", StringComparison.Ordinal);
        var model = MBartParityTests.LoadModel(file, weights, ModelVectors.Metadata(casesFile, "config_file"));

        var call = spec.GetProperty("call");
        var options = new GenerationOptions
        {
            DecoderStartTokenId = call.GetProperty("decoder_start_token_id").GetInt64(),
            MaxNewTokens = call.GetProperty("max_new_tokens").GetInt32(),
            NumBeams = call.GetProperty("num_beams").GetInt32(),
            LengthPenalty = call.TryGetProperty("length_penalty", out var lp) ? lp.GetDouble() : 1.0,
            EarlyStopping = call.TryGetProperty("early_stopping", out var es) && es.GetBoolean(),
            EosTokenId = model.Options.EosTokenId,
            PadTokenId = model.Options.PadTokenId,
            ForcedEosTokenId = model.Options.ForcedEosTokenId,
        };

        var fromEmbeds = spec.GetProperty("encoder_input").GetString()!.StartsWith("inputs_embeds", StringComparison.Ordinal);
        var mask = ModelVectors.Tensor(casesFile, fromEmbeds ? "embeds.attention_mask" : "gen.attention_mask");
        var ids = fromEmbeds ? null : ModelVectors.Tensor(casesFile, "gen.input_ids");
        var embeds = fromEmbeds ? ModelVectors.Tensor(casesFile, "embeds.inputs_embeds") : null;

        var expected = spec.GetProperty("sequences").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetInt64()).ToArray()).ToArray();
        foreach (var useCache in new[] { true, false })
        {
            var result = SequenceGenerator.Generate(model, ids, mask, options with { UseCache = useCache }, embeds);
            var label = $"{file} {run} (cache {useCache})";
            Assert.Equal(expected.Length, result.Sequences.Length);
            for (var b = 0; b < expected.Length; b++)
                Assert.True(expected[b].SequenceEqual(result.Sequences[b]),
                    $"{label} row {b}: expected [{string.Join(",", expected[b])}] got [{string.Join(",", result.Sequences[b])}]");
            if (spec.TryGetProperty("sequences_scores", out var scores))
            {
                var expectedScores = scores.EnumerateArray().Select(s => s.GetDouble()).ToArray();
                Assert.NotNull(result.SequenceScores);
                for (var b = 0; b < expectedScores.Length; b++)
                    Assert.True(Math.Abs(expectedScores[b] - result.SequenceScores![b]) <= ScoreTolerance,
                        $"{label} row {b}: score {result.SequenceScores![b]:R} vs {expectedScores[b]:R}");
            }
        }
    }

    [Fact]
    public void CachedIncrementalDecodingGivesTheLogitsOfFullRecomputation()
    {
        using var scope = NewDisposeScope();
        const string casesFile = "mbart_tiny_relu_cases.safetensors";
        var model = MBartParityTests.LoadModel(casesFile, ModelVectors.Metadata(casesFile, "weights_file"), ModelVectors.Metadata(casesFile, "config_file"));
        using var _ = no_grad();
        var encoderMask = ModelVectors.Tensor(casesFile, "s2s.attention_mask");
        var encoded = model.Encoder.Forward(ModelVectors.Tensor(casesFile, "s2s.input_ids"), encoderMask).LastHiddenState;
        var decoderIds = ModelVectors.Tensor(casesFile, "s2s.decoder_input_ids");                // [2,6]
        var full = model.DecodeLogits(decoderIds, encoded, encoderMask, null);                     // [2,6,V]

        using var cache = model.Decoder.NewCache();
        var steps = new List<Tensor>();
        for (var t = 0; t < decoderIds.shape[1]; t++)
        {
            steps.Add(model.DecodeLogits(decoderIds[.., t..(t + 1)], encoded, encoderMask, cache));
            Assert.Equal(t + 1, cache.PastLength);
        }
        var incremental = cat(steps, 1);
        TensorAssert.Close(full, incremental, 1e-5, 1e-5, "cached vs full logits");
        Assert.True(full.abs().max().item<float>() > 0.1f);
    }
}
