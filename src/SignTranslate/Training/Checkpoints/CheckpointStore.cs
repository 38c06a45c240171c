using System.Text.Json;
using TorchSharp;
using TorchSharp.Modules;
using SignTranslate.Models.Checkpoints;
using SignTranslate.Text;
using static TorchSharp.torch;

namespace SignTranslate.Training.Checkpoints;

/// <summary>
/// Reads and writes checkpoint folders:
/// <code>
/// model.safetensors        weights under the reference parameter names (PyTorch-loadable)
/// optimizer.NAME.bin       optimizer state (TorchSharp format; only needed to resume)
/// rng.safetensors          LibTorch generator state (only needed to resume)
/// meta.json                <see cref="CheckpointMetadata"/>
/// tokenizer/               the tokenizer (<see cref="TokenizerStore"/>), so decoding needs no other file
/// </code>
/// Writing is atomic: a complete folder is built beside the target and swapped in by renames, so an interrupted
/// write never leaves a half checkpoint under the target name.
/// </summary>
public static class CheckpointStore
{
    public const string WeightsFile = "model.safetensors";
    public const string MetadataFile = "meta.json";
    public const string TokenizerFolder = "tokenizer";
    private const string RngFile = "rng.safetensors";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    public static void Save(
        string folder,
        nn.Module model,
        CheckpointMetadata metadata,
        IReadOnlyDictionary<string, optim.Optimizer>? optimizers = null,
        ITextTokenizer? tokenizer = null) =>
        Save(folder, model.state_dict(), metadata, optimizers, tokenizer);

    /// <summary>
    /// Writes a checkpoint from named tensors instead of a module, e.g. a pretraining checkpoint that holds the VLP
    /// model and its text decoder (under <c>module.</c>) in one state, or an imported one.
    /// </summary>
    public static void Save(
        string folder,
        IReadOnlyDictionary<string, Tensor> weights,
        CheckpointMetadata metadata,
        IReadOnlyDictionary<string, optim.Optimizer>? optimizers = null,
        ITextTokenizer? tokenizer = null)
    {
        folder = Path.GetFullPath(folder);
        var parent = Path.GetDirectoryName(folder)!;
        Directory.CreateDirectory(parent);
        var staging = Path.Combine(parent, $".{Path.GetFileName(folder)}.tmp-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        try
        {
            SafeTensorsFile.Save(Path.Combine(staging, WeightsFile), weights);
            using (var rngState = random.get_rng_state())
                SafeTensorsFile.Save(Path.Combine(staging, RngFile), [new("torch", rngState)]);
            var names = new List<string>();
            foreach (var (name, optimizer) in optimizers ?? new Dictionary<string, optim.Optimizer>())
            {
                if (optimizer is not OptimizerHelper helper)
                    throw new NotSupportedException($"optimizer '{name}' ({optimizer.GetType().Name}) cannot save its state");
                helper.save_state_dict(Path.Combine(staging, OptimizerFile(name)));
                names.Add(name);
            }
            tokenizer?.Save(Path.Combine(staging, TokenizerFolder));
            File.WriteAllText(Path.Combine(staging, MetadataFile), JsonSerializer.Serialize(metadata with { Optimizers = names }, Json));
            SwapIn(staging, folder);
        }
        catch
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
            throw;
        }
    }

    public static CheckpointMetadata ReadMetadata(string folder)
    {
        var path = Path.Combine(folder, MetadataFile);
        if (!File.Exists(path))
            throw new InputException($"{folder}: not a checkpoint folder ({MetadataFile} is missing)");
        try
        {
            return JsonSerializer.Deserialize<CheckpointMetadata>(File.ReadAllText(path), Json)
                ?? throw new InputException($"{path}: empty checkpoint metadata");
        }
        catch (JsonException e)
        {
            throw new InputException($"{path}: invalid checkpoint metadata: {e.Message}", e);
        }
    }

    /// <summary>The tokenizer stored with the checkpoint.</summary>
    public static ITextTokenizer ReadTokenizer(string folder)
    {
        var path = Path.Combine(folder, TokenizerFolder);
        if (!Directory.Exists(path))
            throw new InputException($"{folder}: checkpoint has no {TokenizerFolder}/ folder");
        try
        {
            return TokenizerStore.Load(path);
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            throw new InputException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>The stored weights by name (CPU tensors; the caller disposes them or loads them into a module).</summary>
    public static Dictionary<string, Tensor> ReadWeights(string folder)
    {
        var path = Path.Combine(folder, WeightsFile);
        if (!File.Exists(path))
            throw new InputException($"{folder}: checkpoint has no {WeightsFile}");
        return SafeTensorsFile.Load(path);
    }

    /// <summary>Restores optimizer state and the LibTorch RNG for resuming.</summary>
    public static void RestoreTrainingState(string folder, IReadOnlyDictionary<string, optim.Optimizer> optimizers)
    {
        foreach (var (name, optimizer) in optimizers)
        {
            var path = Path.Combine(folder, OptimizerFile(name));
            if (!File.Exists(path))
                throw new InputException($"{folder}: checkpoint has no state for optimizer '{name}' ({OptimizerFile(name)})");
            ((OptimizerHelper)optimizer).load_state_dict(path);
        }
        var rng = SafeTensorsFile.Load(Path.Combine(folder, RngFile));
        random.set_rng_state(rng["torch"]);
        foreach (var t in rng.Values) t.Dispose();
    }

    private static string OptimizerFile(string name) => $"optimizer.{name}.bin";

    private static void SwapIn(string staging, string folder)
    {
        if (!Directory.Exists(folder))
        {
            Directory.Move(staging, folder);
            return;
        }
        var retired = folder + $".old-{Guid.NewGuid():N}";
        Directory.Move(folder, retired);
        Directory.Move(staging, folder);
        Directory.Delete(retired, recursive: true);
    }
}
