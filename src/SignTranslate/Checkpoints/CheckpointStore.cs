using System.Text.Json;
using System.Text.Json.Serialization;
using SignTranslate.Text;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SignTranslate.Checkpoints;

/// <summary>What one checkpoint folder holds; <see cref="Optimizers"/> null for a weights-only checkpoint.</summary>
public sealed record CheckpointContent(
    IEnumerable<KeyValuePair<string, Tensor>> Weights,
    CheckpointMetadata Metadata,
    IReadOnlyDictionary<string, optim.Optimizer>? Optimizers = null,
    ITextTokenizer? Tokenizer = null);

/// <summary>
/// Reads and writes checkpoint folders:
/// <code>
/// model.safetensors        weights under the reference parameter names (PyTorch-loadable)
/// optimizer.NAME.bin       optimizer state (TorchSharp format; only needed to resume)
/// rng.safetensors          LibTorch generator state (only needed to resume)
/// tokenizer/               the tokenizer (<see cref="TokenizerStore"/>), so decoding needs no other file
/// meta.json                <see cref="CheckpointMetadata"/>, with the size and SHA-256 of every file above
/// </code>
/// Every file is synced before meta.json is written, and meta.json last, so a folder whose meta.json lists files that
/// are all there is complete. Training runs keep their checkpoints with <see cref="RunCheckpoints"/>.
/// </summary>
public static class CheckpointStore
{
    public const string WeightsFile = "model.safetensors";
    public const string MetadataFile = "meta.json";
    public const string TokenizerFolder = "tokenizer";
    public const string RngFile = "rng.safetensors";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        // A diverged run's running loss sum is NaN; its checkpoint must still be written.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static void Save(
        string folder,
        nn.Module model,
        CheckpointMetadata metadata,
        IReadOnlyDictionary<string, optim.Optimizer>? optimizers = null,
        ITextTokenizer? tokenizer = null) =>
        Save(folder, model.state_dict(), metadata, optimizers, tokenizer);

    /// <summary>
    /// Writes a checkpoint as a new folder (e.g. an imported model): built under a temporary name beside it and renamed
    /// into place, so the folder never exists half written. An existing non-empty folder is not replaced.
    /// </summary>
    public static void Save(
        string folder,
        IEnumerable<KeyValuePair<string, Tensor>> weights,
        CheckpointMetadata metadata,
        IReadOnlyDictionary<string, optim.Optimizer>? optimizers = null,
        ITextTokenizer? tokenizer = null)
    {
        folder = Path.GetFullPath(folder);
        if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
            throw new InputException($"{folder}: folder exists and is not empty; choose a new folder for the checkpoint or delete this one");
        var parent = Path.GetDirectoryName(folder)!;
        Directory.CreateDirectory(parent);
        var staging = Path.Combine(parent, $".{Path.GetFileName(folder)}.tmp-{Guid.NewGuid():N}");
        var operations = new FileOperations();
        operations.CreateDirectory(staging);
        try
        {
            Write(staging, new CheckpointContent(weights, metadata, optimizers, tokenizer), operations);
            if (Directory.Exists(folder)) Directory.Delete(folder);
            operations.MoveDirectory(staging, folder);
        }
        catch
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
            throw;
        }
    }

    /// <summary>Writes the files of a checkpoint into the empty folder <paramref name="folder"/>, meta.json last.</summary>
    public static void Write(string folder, CheckpointContent content, FileOperations operations)
    {
        var weightsPath = Path.Combine(folder, WeightsFile);
        SafeTensorsFile.Save(weightsPath, content.Weights);
        operations.Wrote(weightsPath);
        var names = new List<string>();
        if (content.Optimizers is { } optimizers)
        {
            var rngPath = Path.Combine(folder, RngFile);
            using (var rngState = random.get_rng_state())
                SafeTensorsFile.Save(rngPath, [new("torch", rngState)]);
            operations.Wrote(rngPath);
            foreach (var (name, optimizer) in optimizers)
            {
                if (optimizer is not OptimizerHelper helper)
                    throw new NotSupportedException($"optimizer '{name}' ({optimizer.GetType().Name}) cannot save its state");
                var path = Path.Combine(folder, OptimizerFile(name));
                helper.save_state_dict(path);
                operations.Wrote(path);
                names.Add(name);
            }
        }
        if (content.Tokenizer is { } tokenizer)
        {
            var tokenizerFolder = Path.Combine(folder, TokenizerFolder);
            tokenizer.Save(tokenizerFolder);
            foreach (var path in Directory.EnumerateFiles(tokenizerFolder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                operations.Wrote(path);
            operations.Sync(tokenizerFolder);
        }
        var metadata = content.Metadata with
        {
            FormatVersion = CheckpointMetadata.CurrentFormatVersion,
            Optimizers = names,
            Files = CheckpointManifest.Describe(folder),
        };
        var metadataPath = Path.Combine(folder, MetadataFile);
        File.WriteAllText(metadataPath, JsonSerializer.Serialize(metadata, Json));
        operations.Wrote(metadataPath);
        operations.Sync(folder);
    }

    /// <summary>
    /// Whether <paramref name="folder"/> holds a complete checkpoint (with the state a resume needs when
    /// <paramref name="resumable"/>), judged by its metadata and the sizes of the files it lists; never throws.
    /// </summary>
    public static bool IsComplete(string folder, bool resumable)
    {
        var meta = TryReadMetadata(folder);
        if (meta is null || (resumable && meta.Optimizers.Count == 0)) return false;
        if (meta.Files is { } files) return CheckpointManifest.Problem(folder, files, content: false) is null;
        return File.Exists(Path.Combine(folder, WeightsFile))
            && (!resumable || (File.Exists(Path.Combine(folder, RngFile)) && meta.Optimizers.All(n => File.Exists(Path.Combine(folder, OptimizerFile(n))))));
    }

    /// <summary>
    /// Checks every file the metadata lists, content included; a damaged file is an input error that names it. Folders
    /// of format 1 list no files and pass.
    /// </summary>
    public static void Verify(string folder, string advice)
    {
        var meta = ReadMetadata(folder);
        if (meta.Files is { } files && CheckpointManifest.Problem(folder, files, content: true) is { } problem)
            throw new InputException($"{problem}; {advice}");
    }

    /// <summary>
    /// The folder to read a checkpoint from: a <c>last</c>/<c>best</c> link resolved once (so that a run switching it
    /// meanwhile cannot mix two checkpoints), its files checked against the recorded sizes and hashes.
    /// </summary>
    public static string Locate(string path)
    {
        var folder = RunCheckpoints.Resolve(path);
        Verify(folder, "the checkpoint cannot be used: restore the file, or use another checkpoint");
        return folder;
    }

    /// <summary>The metadata, or null when the folder has none or it cannot be read.</summary>
    public static CheckpointMetadata? TryReadMetadata(string folder)
    {
        try
        {
            return File.Exists(Path.Combine(folder, MetadataFile)) ? ReadMetadata(folder) : null;
        }
        catch (Exception e) when (e is InputException or IOException or UnauthorizedAccessException)
        {
            return null;
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
        return Reading(path, () => SafeTensorsFile.Load(path));
    }

    /// <summary>Restores optimizer state and the LibTorch RNG for resuming.</summary>
    public static void RestoreTrainingState(string folder, IReadOnlyDictionary<string, optim.Optimizer> optimizers)
    {
        foreach (var (name, optimizer) in optimizers)
        {
            var path = Path.Combine(folder, OptimizerFile(name));
            if (!File.Exists(path))
                throw new InputException($"{folder}: checkpoint has no state for optimizer '{name}' ({OptimizerFile(name)})");
            Reading(path, () =>
            {
                ((OptimizerHelper)optimizer).load_state_dict(path);
                return true;
            });
        }
        var rngPath = Path.Combine(folder, RngFile);
        var rng = Reading(rngPath, () => SafeTensorsFile.Load(rngPath));
        random.set_rng_state(rng["torch"]);
        foreach (var t in rng.Values) t.Dispose();
    }

    public static string OptimizerFile(string name) => $"optimizer.{name}.bin";

    /// <summary>
    /// A file of a format-1 checkpoint (no recorded sizes or hashes) that fails to load is damaged, not a bug: say so
    /// on one line.
    /// </summary>
    private static T Reading<T>(string path, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or FormatException or JsonException
            or System.Runtime.InteropServices.ExternalException)
        {
            throw new InputException($"{path}: cannot be read, the file is damaged ({e.Message.ReplaceLineEndings(" ")})", e);
        }
    }
}
