using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace EdgeInfra.Providers.Hub;

/// <summary>The objects of one kind a <see cref="FleetHubClient"/> has parsed, kept by namespace/name with their
/// <c>resourceVersion</c>, so that a list page parses only the objects that changed since an earlier read.</summary>
/// <remarks>
/// A rollout host lists every Cluster and BundleDeployment of its open rings at every gate evaluation, and between two
/// evaluations most of them did not move: parsing each into new objects was most of a status read's time and nearly all
/// of its garbage at 10,000 stores and more. Kubernetes changes an object's <c>resourceVersion</c> with every write to it
/// (an agent's check-in, a status or a label alike), so an object whose namespace, name and resourceVersion are those
/// of one parsed before is that object: the page's bytes for it are skipped, not parsed, and the parsed object is
/// handed out again. What is handed out is shared between reads, so readers never change it (none does).
/// Objects not seen for <see cref="ForgetAfterReads"/> reads are dropped.
/// </remarks>
internal sealed class HubObjectReuse<T> where T : class
{
    private const int ForgetAfterReads = 32;
    /// <summary>Longer than any Kubernetes namespace/name (63 + 1 + 253 characters).</summary>
    private const int MaxKeyLength = 320;

    private readonly ConcurrentDictionary<string, Kept> _kept = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Kept>.AlternateLookup<ReadOnlySpan<char>> _byKey;
    private readonly JsonTypeInfo<T> _item;
    private readonly JsonTypeInfo<HubListMeta> _listMeta;
    private long _read, _reused, _parsed;

    public HubObjectReuse(JsonTypeInfo<T> item, JsonTypeInfo<HubListMeta> listMeta, Func<T, HubObjectMeta> metadata)
    {
        _item = item;
        _listMeta = listMeta;
        _metadata = metadata;
        _byKey = _kept.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    private readonly Func<T, HubObjectMeta> _metadata;

    /// <summary>Keeps objects parsed otherwise (a page parsed as it arrived), by the identity and resourceVersion they
    /// carry; not in a client's first read, as a one-shot status (a process that reads once) would only pay for it.</summary>
    public void Keep(IEnumerable<T> parsed)
    {
        var read = Interlocked.Read(ref _read);
        foreach (var item in parsed)
        {
            Interlocked.Increment(ref _parsed);
            if (read < 2) continue;
            var meta = _metadata(item);
            if (string.IsNullOrEmpty(meta.ResourceVersion)) continue;
            _kept[$"{meta.Namespace}/{meta.Name}"] = new Kept(System.Text.Encoding.UTF8.GetBytes(meta.ResourceVersion), item) { Seen = read };
        }
    }

    /// <summary>Objects handed out again without parsing, and objects parsed, since this cache was made.</summary>
    public (long Reused, long Parsed) Counts => (Interlocked.Read(ref _reused), Interlocked.Read(ref _parsed));

    /// <summary>Objects kept now (a concurrent dictionary's count takes every lock: not for a read's path).</summary>
    public int Count => _kept.Count;

    /// <summary>Nothing is kept (yet).</summary>
    public bool IsEmpty => _kept.IsEmpty;

    /// <summary>Starts a read (a snapshot of the hub): objects not seen in the last reads are forgotten.</summary>
    public void BeginRead()
    {
        var read = Interlocked.Increment(ref _read);
        if (read % ForgetAfterReads != 0) return;
        foreach (var (key, kept) in _kept)
            if (Volatile.Read(ref kept.Seen) < read - ForgetAfterReads) _kept.TryRemove(key, out _);
    }

    /// <summary>Parses one list page (<c>{metadata, items}</c>), reusing the kept objects whose resourceVersion did not move.</summary>
    /// <exception cref="JsonException">The page is not a Kubernetes list of <typeparamref name="T"/>.</exception>
    public (List<T> Items, HubListMeta? Metadata) ParsePage(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw new JsonException("a list page is not a JSON object");
        var items = new List<T>();
        HubListMeta? metadata = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("metadata"u8))
            {
                reader.Read();
                metadata = JsonSerializer.Deserialize(ref reader, _listMeta);
            }
            else if (reader.ValueTextEquals("items"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Null) continue;
                if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException("a list's items are not an array");
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    items.Add(ReadItem(json, ref reader) ?? throw new JsonException("a list item is null"));
            }
            else reader.Skip();
        }
        return (items, metadata);
    }

    /// <summary>One item, the reader on its first token (and left on its last): the kept object when its identity and
    /// resourceVersion are those of one, else the item's bytes parsed (and kept).</summary>
    private T? ReadItem(ReadOnlySpan<byte> json, ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject) return JsonSerializer.Deserialize(ref reader, _item);
        var read = Interlocked.Read(ref _read);
        var start = (int)reader.TokenStartIndex;
        Span<char> key = stackalloc char[MaxKeyLength];
        var scan = reader;
        var identified = Identity(ref scan, key, out var keyLength, out var resourceVersion) && keyLength > 0;
        if (identified && _byKey.TryGetValue(key[..keyLength], out var kept) && resourceVersion.SequenceEqual(kept.ResourceVersion))
        {
            Volatile.Write(ref kept.Seen, read);
            reader.Skip();
            Interlocked.Increment(ref _reused);
            return kept.Object;
        }
        reader.Skip();
        // The item's own bytes, parsed as one span: the serializer's fastest read.
        var parsed = JsonSerializer.Deserialize(json[start..(int)reader.BytesConsumed], _item);
        Interlocked.Increment(ref _parsed);
        if (identified && parsed is not null) _kept[new string(key[..keyLength])] = new Kept(resourceVersion.ToArray(), parsed) { Seen = read };
        return parsed;
    }

    /// <summary>Reads an object's <c>metadata</c> namespace, name and resourceVersion (as its raw bytes) from a copy of
    /// the reader; false when it has no resourceVersion, or an escaped one, or a name too long to be Kubernetes'.</summary>
    private static bool Identity(ref Utf8JsonReader scan, scoped Span<char> key, out int keyLength, out ReadOnlySpan<byte> resourceVersion)
    {
        keyLength = 0;
        resourceVersion = default;
        Span<char> name = stackalloc char[MaxKeyLength];
        int nameLength = -1, nsLength = 0;
        while (scan.Read() && scan.TokenType == JsonTokenType.PropertyName)
        {
            if (!scan.ValueTextEquals("metadata"u8))
            {
                scan.Skip();
                continue;
            }
            scan.Read();
            if (scan.TokenType != JsonTokenType.StartObject) return false;
            while (scan.Read() && scan.TokenType == JsonTokenType.PropertyName)
            {
                if (scan.ValueTextEquals("name"u8) || scan.ValueTextEquals("namespace"u8))
                {
                    var isName = scan.ValueTextEquals("name"u8);
                    scan.Read();
                    if (scan.TokenType != JsonTokenType.String || !FitsIn(ref scan, isName ? name : key)) return false;
                    if (isName) nameLength = scan.CopyString(name);
                    else nsLength = scan.CopyString(key);
                }
                else if (scan.ValueTextEquals("resourceVersion"u8))
                {
                    scan.Read();
                    if (scan.TokenType != JsonTokenType.String || scan.ValueIsEscaped || scan.HasValueSequence) return false;
                    resourceVersion = scan.ValueSpan;
                }
                else scan.Skip();
            }
            if (nameLength < 0 || resourceVersion.IsEmpty || nsLength + 1 + nameLength > key.Length) return false;
            key[nsLength] = '/';
            name[..nameLength].CopyTo(key[(nsLength + 1)..]);
            keyLength = nsLength + 1 + nameLength;
            return true;
        }
        return false;
    }

    private static bool FitsIn(ref Utf8JsonReader scan, scoped Span<char> buffer) =>
        (scan.HasValueSequence ? scan.ValueSequence.Length : scan.ValueSpan.Length) <= buffer.Length;

    /// <summary>Reads a list page's body whole (a pooled buffer, returned when parsed) and parses it as
    /// <see cref="ParsePage"/> does: an unchanged object is recognised by its metadata and skipped before anything of it
    /// is parsed.</summary>
    public async Task<(List<T> Items, HubListMeta? Metadata)> ReadPageAsync(Stream body, long? contentLength, CancellationToken cancellationToken)
    {
        var (buffer, length) = await ReadBodyAsync(body, contentLength, cancellationToken).ConfigureAwait(false);
        try
        {
            return ParsePage(buffer.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads a response body whole into a pooled buffer (a page's objects are parsed from one span).</summary>
    private static async Task<(byte[] Buffer, int Length)> ReadBodyAsync(Stream body, long? contentLength, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(contentLength is > 0 and < int.MaxValue ? (int)contentLength.Value + 1 : 64 * 1024);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                var n = await body.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                if (n == 0) return (buffer, length);
                length += n;
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    private sealed class Kept(byte[] resourceVersion, T obj)
    {
        public byte[] ResourceVersion { get; } = resourceVersion;
        public T Object { get; } = obj;
        public long Seen;
    }
}
