using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using EdgeInfra.Components.FleetSchema;
using EdgeInfra.Components.Model;
using EdgeInfra.Engine.State;

namespace EdgeInfra.Components.Rendering;

/// <summary>The per-store files a run rendered (the hub Cluster and the K3s <c>config.yaml</c>), remembered by a
/// fingerprint of exactly what they are rendered from, so the next run renders only the stores whose inputs changed.</summary>
/// <remarks>
/// <para>A fingerprint is the first 128 bits of a SHA-256 over everything <see cref="HubRenderer.Cluster"/> and
/// <see cref="K3sRenderer.Config"/> read: the store's id and labels, whether its Cluster is paused, the Fleet workspace
/// and the K3s components disabled. A change to any of them is a new fingerprint, so a miss, never a stale file.</para>
/// <para>The file (<c>.edgeinfra/cache/render/&lt;stack&gt;</c>) opens with the build id of the rendering code and of
/// the runtime: a new EdgeInfra (or .NET) renders everything again. It holds only the entries this run used, so it does
/// not grow, and it is written through a temporary file and a rename, by the caller only after a run that found no
/// problem: a refused run leaves it as it was. A missing, torn or foreign file is an empty cache, so deleting it is
/// always safe.</para>
/// <para>A hit also carries the verdict of Fleet's schemas: the entry was written by a run that validated that exact
/// Cluster (or reused it from a run that did) and found no problem, under the schemas embedded in this same build. It
/// keeps the Cluster's entry of the schema cache (<see cref="ValidatedContentCache.KeyOf"/>) too, so that cache stays
/// whole for a run that finds this one gone.</para>
/// </remarks>
public sealed class StoreRenderCache
{
    private const int KeyLength = 16;
    private static readonly string Header = $"edgeinfra-render-cache/2 {typeof(StoreRenderCache).Assembly.ManifestModule.ModuleVersionId:N} {Environment.Version}\n";

    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;

    private readonly string _path;
    private readonly Dictionary<UInt128, Entry> _known;
    private readonly ConcurrentDictionary<UInt128, Entry> _used = new();
    private readonly ConcurrentDictionary<string, byte> _reused = new(ReferenceEqualityComparer.Instance);
    private int _hits;
    private int _misses;

    private StoreRenderCache(string path, Dictionary<UInt128, Entry> known)
    {
        _path = path;
        _known = known;
    }

    /// <summary>A store's two rendered texts: its hub Cluster and its K3s config.yaml.</summary>
    internal readonly record struct StoreFiles(string Cluster, string Config);

    /// <summary>What is kept per fingerprint: the texts and the schema cache's key of the Cluster.</summary>
    private readonly record struct Entry(StoreFiles Files, UInt128 SchemaKey);

    /// <summary>How many stores this run took from the cache and how many it rendered.</summary>
    public (int Hits, int Misses) Counts => (_hits, _misses);

    /// <summary>Reads the cache at <paramref name="path"/>; empty when it is missing, unreadable or of another build.</summary>
    public static StoreRenderCache Load(string path)
    {
        var known = new Dictionary<UInt128, Entry>();
        try
        {
            if (File.Exists(path) && !Parse(File.ReadAllBytes(path), known)) known.Clear();
        }
        catch (IOException) { known.Clear(); }
        catch (UnauthorizedAccessException) { known.Clear(); }
        return new StoreRenderCache(path, known);
    }

    /// <summary>True when <paramref name="content"/> is this very string instance taken from the cache in this run (so
    /// it passed Fleet's schemas before); a rendered string, even one with equal text, is not.</summary>
    public bool IsReused(string content) => _reused.ContainsKey(content);

    /// <summary>The schema cache's keys of the Clusters taken from this cache in this run.</summary>
    public IEnumerable<string> ReusedSchemaKeys() =>
        _used.Values.Where(e => _reused.ContainsKey(e.Files.Cluster)).Select(e => e.SchemaKey.ToString("x32", CultureInfo.InvariantCulture));

    /// <summary>The store's Cluster and config.yaml: from the cache when its fingerprint is known, rendered otherwise.</summary>
    internal StoreFiles Get(Store store, string workspace, bool paused, IReadOnlyList<string>? disable, Func<StoreFiles> render)
    {
        var key = Fingerprint(store, workspace, paused, disable);
        if (_known.TryGetValue(key, out var entry))
        {
            Interlocked.Increment(ref _hits);
            _reused.TryAdd(entry.Files.Cluster, 0);
        }
        else
        {
            Interlocked.Increment(ref _misses);
            var files = render();
            var schemaKey = ValidatedContentCache.KeyOf(new RenderedFile(FleetRepoLayout.ClusterPath(store.Id), files.Cluster));
            entry = new Entry(files, UInt128.Parse(schemaKey, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
        }
        _used.TryAdd(key, entry);
        return entry.Files;
    }

    /// <summary>Writes the entries this run used, when they differ from what was read (not fsynced: a cache lost to a
    /// power cut only costs the next run its rendering).</summary>
    public void Save()
    {
        if (_misses == 0 && _used.Count == _known.Count) return;
        AtomicFile.Write(_path, Write, durable: false);
    }

    private void Write(Stream w)
    {
        w.Write(Encoding.UTF8.GetBytes(Header));
        Span<byte> key = stackalloc byte[KeyLength];
        foreach (var (k, entry) in _used.OrderBy(e => e.Key))
        {
            BinaryPrimitives.WriteUInt128LittleEndian(key, k);
            w.Write(key);
            BinaryPrimitives.WriteUInt128LittleEndian(key, entry.SchemaKey);
            w.Write(key);
            WriteText(w, entry.Files.Cluster);
            WriteText(w, entry.Files.Config);
        }
    }

    private static void WriteText(Stream w, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, bytes.Length);
        w.Write(length);
        w.Write(bytes);
    }

    private static bool Parse(byte[] data, Dictionary<UInt128, Entry> into)
    {
        var header = Encoding.UTF8.GetBytes(Header);
        if (!data.AsSpan().StartsWith(header)) return false;
        var at = header.Length;
        while (at < data.Length)
        {
            if (data.Length - at < 2 * KeyLength) return false;
            var key = BinaryPrimitives.ReadUInt128LittleEndian(data.AsSpan(at, KeyLength));
            var schemaKey = BinaryPrimitives.ReadUInt128LittleEndian(data.AsSpan(at + KeyLength, KeyLength));
            at += 2 * KeyLength;
            if (!ReadText(data, ref at, out var cluster) || !ReadText(data, ref at, out var config)) return false;
            into[key] = new Entry(new StoreFiles(cluster, config), schemaKey);
        }
        return true;
    }

    private static bool ReadText(byte[] data, ref int at, out string text)
    {
        text = "";
        if (data.Length - at < 4) return false;
        var length = BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(at, 4));
        at += 4;
        if (length < 0 || length > data.Length - at) return false;
        text = Encoding.UTF8.GetString(data, at, length);
        at += length;
        return true;
    }

    /// <summary>Every input of the two renderers, each length-prefixed so no two different inputs run together into
    /// the same bytes.</summary>
    private static UInt128 Fingerprint(Store store, string workspace, bool paused, IReadOnlyList<string>? disable)
    {
        var w = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        w.ResetWrittenCount();
        Put(w, workspace);
        Put(w, store.Id);
        PutCount(w, paused ? 1 : 0);
        PutCount(w, disable?.Count ?? 0);
        foreach (var d in disable ?? []) Put(w, d);
        PutCount(w, store.Labels.Count);
        foreach (var (k, v) in store.Labels)
        {
            Put(w, k);
            Put(w, v);
        }
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(w.WrittenSpan, hash);
        return BinaryPrimitives.ReadUInt128LittleEndian(hash);
    }

    private static void Put(ArrayBufferWriter<byte> w, string s)
    {
        var span = w.GetSpan(4 + Encoding.UTF8.GetMaxByteCount(s.Length));
        var n = Encoding.UTF8.GetBytes(s, span[4..]);
        BinaryPrimitives.WriteInt32LittleEndian(span, n);
        w.Advance(4 + n);
    }

    private static void PutCount(ArrayBufferWriter<byte> w, int n)
    {
        BinaryPrimitives.WriteInt32LittleEndian(w.GetSpan(4), n);
        w.Advance(4);
    }
}
