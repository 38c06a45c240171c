using System.Collections;
using System.IO.Compression;
using System.Reflection;
using Razorvine.Pickle;
using Razorvine.Pickle.Objects;
using TorchSharp;
using static TorchSharp.torch;

namespace SignTranslate.Checkpoints;

/// <summary>
/// Reads tensors from a PyTorch <c>torch.save</c> zip file (<c>.pth</c>/<c>.bin</c>, PyTorch ≥ 1.6): either a plain state
/// dict or a training checkpoint dict whose entry (<c>model</c>, <c>text_decoder</c>, …) is a state dict. Unlike
/// TorchSharp.PyBridge's reader, views into a shared storage at non-zero offsets (as in VLP checkpoints, whose ResNet
/// conv weights alias one storage) are rebuilt exactly; every returned tensor owns its memory.
/// </summary>
public static class PyTorchCheckpointFile
{
    private static readonly object RegistrationLock = new();

    /// <summary>
    /// The state dict at <paramref name="entry"/> of the checkpoint, or the whole file when <paramref name="entry"/> is
    /// null. Non-tensor values (optimizer scalars, <c>args</c>) are skipped.
    /// </summary>
    public static Dictionary<string, Tensor> LoadStateDict(string path, string? entry = null)
    {
        var root = ReadRoot(path);
        var table = root;
        if (entry is not null)
            table = root[entry] as Hashtable ?? throw new InvalidDataException(
                $"{path}: no state dict under '{entry}' (top-level keys: {string.Join(", ", root.Keys.Cast<object>())}).");
        return TensorsOf(table);
    }

    /// <summary>
    /// Every state dict of the file in one read: each top-level entry that is a dict holding tensors (<c>model</c>,
    /// <c>text_decoder</c>, …) under its name, and the file's own top-level tensors under <c>""</c> when it is a plain
    /// state dict. Tensors nested deeper (optimizer buffers) are not returned.
    /// </summary>
    public static Dictionary<string, Dictionary<string, Tensor>> LoadStateDicts(string path)
    {
        var root = ReadRoot(path);
        var result = new Dictionary<string, Dictionary<string, Tensor>>();
        var topLevel = TensorsOf(root);
        if (topLevel.Count > 0) result[""] = topLevel;
        foreach (DictionaryEntry item in root)
            if (item.Key is string key && item.Value is Hashtable table && TensorsOf(table) is { Count: > 0 } tensors)
                result[key] = tensors;
        return result;
    }

    private static Dictionary<string, Tensor> TensorsOf(Hashtable table)
    {
        var result = new Dictionary<string, Tensor>();
        foreach (DictionaryEntry item in table)
            if (item.Key is string key && item.Value is Tensor tensor)
                result[key] = tensor;
        return result;
    }

    private static Hashtable ReadRoot(string path)
    {
        try
        {
            using var archive = ZipFile.OpenRead(path);
            var pickle = archive.Entries.FirstOrDefault(e => e.FullName.EndsWith("data.pkl", StringComparison.Ordinal))
                ?? throw new InvalidDataException("no data.pkl entry (legacy non-zip torch.save files are not supported)");
            using var storages = new StorageReader(archive);
            object loaded;
            lock (RegistrationLock)
            {
                using var stream = pickle.Open();
                loaded = WithTorchConstructors(() => new CheckpointUnpickler(storages).load(stream));
            }
            return loaded as Hashtable ?? throw new InvalidDataException($"the pickled object is a {loaded.GetType().Name}, not a dict");
        }
        catch (Exception e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new InvalidDataException($"{path}: not a readable PyTorch checkpoint ({e.Message})", e);
        }
    }

    /// <summary>
    /// Razorvine's constructor table is global, and TorchSharp.PyBridge keeps its own entries for the same torch names
    /// there. Ours are installed only for the duration of one load, then the previous entries are put back.
    /// </summary>
    private static object WithTorchConstructors(Func<object> load)
    {
        var ours = new Dictionary<string, IObjectConstructor>
        {
            ["torch._utils._rebuild_tensor_v2"] = new TensorConstructor(),
            ["torch._utils._rebuild_tensor"] = new TensorConstructor(),
            ["collections.OrderedDict"] = new OrderedDictConstructor(),
        };
        var table = typeof(Unpickler).GetField("objectConstructors", BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.Static)
            ?.GetValue(null) as IDictionary<string, IObjectConstructor>;
        var previous = ours.Keys.ToDictionary(k => k, k => table is not null && table.TryGetValue(k, out var c) ? c : null);
        foreach (var (name, constructor) in ours)
        {
            var dot = name.LastIndexOf('.');
            Unpickler.registerConstructor(name[..dot], name[(dot + 1)..], constructor);
        }
        try
        {
            return load();
        }
        finally
        {
            if (table is not null)
                foreach (var (name, constructor) in previous)
                {
                    if (constructor is null) table.Remove(name);
                    else table[name] = constructor;
                }
        }
    }

    /// <summary>Loads the state dict at <paramref name="entry"/> into <paramref name="module"/> by name, with a report.</summary>
    public static WeightLoadReport LoadInto(nn.Module module, string path, string? entry = null, bool strict = false,
        Func<string, string?>? renameSourceKey = null)
    {
        var tensors = LoadStateDict(path, entry);
        try
        {
            return WeightLoader.Load(module, tensors, strict, renameSourceKey, path);
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }

    /// <summary>A storage of the archive: a flat tensor of its element type, shared by every view into it.</summary>
    private sealed record Storage(Tensor Flat);

    /// <summary>Reads each <c>data/&lt;key&gt;</c> entry once.</summary>
    private sealed class StorageReader(ZipArchive archive) : IDisposable
    {
        private readonly Dictionary<string, Storage> _cache = [];

        public Storage Get(string key, ScalarType dtype, long count)
        {
            if (_cache.TryGetValue(key, out var storage)) return storage;
            var entry = archive.Entries.FirstOrDefault(e => e.FullName.EndsWith("/data/" + key, StringComparison.Ordinal))
                ?? throw new InvalidDataException($"storage '{key}' is missing from the archive");
            var flat = empty(new[] { count }, dtype);
            var bytes = new byte[flat.NumberOfElements * flat.ElementSize];
            using (var stream = entry.Open())
                stream.ReadExactly(bytes);
            if (bytes.Length > 0) flat.bytes = bytes;
            flat.DetachFromDisposeScope();
            storage = new Storage(flat);
            _cache[key] = storage;
            return storage;
        }

        public void Dispose()
        {
            foreach (var s in _cache.Values) s.Flat.Dispose();
        }
    }

    /// <summary>Resolves torch's persistent ids <c>('storage', StorageType, key, location, numel)</c>; the location is ignored (CPU).</summary>
    private sealed class CheckpointUnpickler(StorageReader storages) : Unpickler
    {
        protected override object persistentLoad(object pid)
        {
            var id = (object[])pid;
            if (id.Length < 5 || id[0] as string != "storage")
                throw new InvalidDataException("unknown persistent id in the pickle");
            var typeName = id[1] switch
            {
                ClassDictConstructor c => c.name,
                string s => s,
                var other => other?.ToString() ?? "",
            };
            return storages.Get((string)id[2], StorageDType(typeName), Convert.ToInt64(id[4]));
        }

        private static ScalarType StorageDType(string storage) => storage switch
        {
            "FloatStorage" => ScalarType.Float32,
            "DoubleStorage" => ScalarType.Float64,
            "HalfStorage" => ScalarType.Float16,
            "BFloat16Storage" => ScalarType.BFloat16,
            "LongStorage" => ScalarType.Int64,
            "IntStorage" => ScalarType.Int32,
            "ShortStorage" => ScalarType.Int16,
            "CharStorage" => ScalarType.Int8,
            "ByteStorage" => ScalarType.Byte,
            "BoolStorage" => ScalarType.Bool,
            _ => throw new InvalidDataException($"unsupported storage type '{storage}'"),
        };
    }

    /// <summary><c>_rebuild_tensor_v2(storage, offset, size, stride, …)</c>: a copy of the strided view.</summary>
    private sealed class TensorConstructor : IObjectConstructor
    {
        public object construct(object[] args)
        {
            var storage = (Storage)args[0];
            var offset = Convert.ToInt64(args[1]);
            var size = ((object[])args[2]).Select(Convert.ToInt64).ToArray();
            var stride = ((object[])args[3]).Select(Convert.ToInt64).ToArray();
            using var view = storage.Flat.as_strided(size, stride, offset);
            return view.clone().DetachFromDisposeScope();
        }
    }

    /// <summary>OrderedDict as a Hashtable that accepts SETITEMS and an empty BUILD.</summary>
    private sealed class OrderedDictConstructor : IObjectConstructor
    {
        public object construct(object[] args) => new PickledOrderedDict();
    }

    private sealed class PickledOrderedDict : Hashtable
    {
        // The unpickler calls Python's protocol method by its Python name.
#pragma warning disable IDE1006
        public void __setstate__(Hashtable state)
#pragma warning restore IDE1006
        {
            foreach (DictionaryEntry item in state) this[item.Key] = item.Value;
        }
    }
}
