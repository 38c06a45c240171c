using System.Text.RegularExpressions;
using SignTranslate.Models;
using static TorchSharp.torch;

namespace SignTranslate.Checkpoints.Pretrained;

/// <summary>
/// Reads the sizes of an HF-named mBART encoder / decoder from the tensor shapes of a state dict: width, position
/// table, vocabulary, layer counts and FFN widths. Head counts, activation, dropouts and embedding scaling are not
/// in the shapes; they come from the base options (a config.json or a reference preset).
/// </summary>
public static partial class ReferenceMBartShapes
{
    /// <summary>
    /// <paramref name="baseOptions"/> with the sizes found under <paramref name="encoderPrefix"/> and (when not null)
    /// <paramref name="decoderPrefix"/>, e.g. <c>mbart.model.encoder.</c> and <c>mbart.model.decoder.</c>.
    /// </summary>
    public static MBartOptions Infer(IReadOnlyDictionary<string, Tensor> state, string encoderPrefix, string? decoderPrefix, MBartOptions baseOptions)
    {
        var positions = Shape(state, encoderPrefix + "embed_positions.weight");
        var tokens = Shape(state, encoderPrefix + "embed_tokens.weight");
        var options = baseOptions with
        {
            DModel = (int)positions[1],
            MaxPositionEmbeddings = (int)positions[0] - 2,
            VocabSize = (int)tokens[0],
            EncoderLayers = LayerCount(state, encoderPrefix),
            EncoderFfnDim = (int)Shape(state, encoderPrefix + "layers.0.fc1.weight")[0],
        };
        return decoderPrefix is null ? options : WithDecoder(state, decoderPrefix, options);
    }

    /// <summary><paramref name="options"/> with the decoder layer count and FFN width found under <paramref name="decoderPrefix"/>.</summary>
    public static MBartOptions WithDecoder(IReadOnlyDictionary<string, Tensor> state, string decoderPrefix, MBartOptions options) =>
        LayerCount(state, decoderPrefix) is var layers and > 0
            ? options with { DecoderLayers = layers, DecoderFfnDim = (int)Shape(state, decoderPrefix + "layers.0.fc1.weight")[0] }
            : options;

    /// <summary>Number of <c>{prefix}layers.N.</c> blocks.</summary>
    public static int LayerCount(IReadOnlyDictionary<string, Tensor> state, string prefix)
    {
        var count = 0;
        foreach (var key in state.Keys)
        {
            if (!key.StartsWith(prefix + "layers.", StringComparison.Ordinal)) continue;
            var match = LayerIndex().Match(key, prefix.Length + "layers.".Length);
            if (match.Success) count = Math.Max(count, int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) + 1);
        }
        return count;
    }

    public static long[] Shape(IReadOnlyDictionary<string, Tensor> state, string key) =>
        state.TryGetValue(key, out var t) ? t.shape : throw new InputException($"the checkpoint has no '{key}' (not the expected GFSLT-VLP layout)");

    [GeneratedRegex(@"\G(\d+)\.")]
    private static partial Regex LayerIndex();
}
