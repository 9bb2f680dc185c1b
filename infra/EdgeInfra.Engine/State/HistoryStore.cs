using System.Buffers;
using System.Collections.Immutable;
using System.Globalization;
using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text.Json;
using EdgeInfra.Engine.Resources;

namespace EdgeInfra.Engine.State;

/// <summary>Per-stack history: <c>v&lt;N&gt;.start.json</c> when a run starts, <c>v&lt;N&gt;.end.json</c> when it ends.</summary>
/// <remarks>
/// Desired states are stored content-addressed (<c>desired/&lt;sha256&gt;.json.gz</c>) so a run with the same inputs as
/// an earlier one, e.g. a no-op <c>up</c>, costs nothing new. That file is a manifest: the stack's outputs and the
/// hashes of its resources cut into chunks (<see cref="DesiredChunks"/>), each chunk stored once, deflated, in the
/// <see cref="ContentStore"/>; so a release that changes a few bundle files stores those chunks and a list of hashes,
/// not the whole stack again. Hashes are over the secret-free form; stored chunks carry encrypted secrets. Desired
/// states written before chunking hold their resources inline and read the same.
/// </remarks>
internal sealed class HistoryStore(string dir, string stack, SecretCodec codec, ContentStore blobs)
{
    private string DesiredDir => Path.Combine(dir, "desired");
    private string StartPath(int v) => Path.Combine(dir, $"v{v.ToString("D6", CultureInfo.InvariantCulture)}.start.json");
    private string EndPath(int v) => Path.Combine(dir, $"v{v.ToString("D6", CultureInfo.InvariantCulture)}.end.json");

    public int Start(HistoryStart start, DesiredStack? desired)
    {
        Directory.CreateDirectory(dir);
        var version = Versions().DefaultIfEmpty(0).Max() + 1;
        string? hash = desired is null ? null : StoreDesired(desired);
        var bytes = Json(w =>
        {
            w.WriteNumber("version", version);
            w.WriteString("kind", start.Kind.ToString().ToLowerInvariant());
            w.WriteString("startTime", start.Started.UtcDateTime.ToString("O"));
            w.WriteString("actor", start.Actor);
            w.WriteString("message", start.Message);
            if (start.SourceCommit is not null) w.WriteString("sourceCommit", start.SourceCommit);
            if (hash is not null) w.WriteString("desired", hash);
        });
        // Created whole or not at all: two writers can never record the same version (the stack lock should already
        // prevent it), and a kill mid-write cannot leave an empty record that breaks `history` for good.
        if (!ExclusiveFile.TryCreate(StartPath(version), bytes))
            throw new IOException($"history version {version} of {Path.GetFileName(dir)} is already recorded");
        return version;
    }

    public void End(int version, HistoryEnd end)
    {
        var bytes = Json(w =>
        {
            w.WriteNumber("version", version);
            w.WriteString("result", end.Result.ToString().ToLowerInvariant());
            w.WriteString("endTime", end.Ended.UtcDateTime.ToString("O"));
            w.WriteStartObject("resourceChanges");
            foreach (var (k, v) in end.Changes.OrderBy(c => c.Key, StringComparer.Ordinal)) w.WriteNumber(k, v);
            w.WriteEndObject();
            w.WriteStartObject("revisions");
            foreach (var (k, v) in end.Revisions.OrderBy(c => c.Key, StringComparer.Ordinal)) w.WriteString(k, v);
            w.WriteEndObject();
        });
        AtomicFile.Write(EndPath(version), stream => stream.Write(bytes));
    }

    private IEnumerable<int> Versions() =>
        Directory.Exists(dir)
            ? Directory.EnumerateFiles(dir, "v*.start.json").Select(f => Path.GetFileName(f)[1..7])
                .Select(s => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0)
            : [];

    public IReadOnlyList<HistoryEntry> List()
    {
        var list = new List<HistoryEntry>();
        foreach (var v in Versions().Where(v => v > 0).Order())
        {
            var s = JsonDocument.Parse(File.ReadAllBytes(StartPath(v))).RootElement;
            UpdateResultKind? result = null;
            DateTimeOffset? ended = null;
            var changes = ImmutableSortedDictionary<string, int>.Empty;
            var revisions = ImmutableSortedDictionary<string, string>.Empty;
            if (File.Exists(EndPath(v)))
            {
                var e = JsonDocument.Parse(File.ReadAllBytes(EndPath(v))).RootElement;
                result = Enum.Parse<UpdateResultKind>(e.GetProperty("result").GetString()!, ignoreCase: true);
                ended = e.GetProperty("endTime").GetDateTimeOffset();
                changes = e.GetProperty("resourceChanges").EnumerateObject()
                    .ToImmutableSortedDictionary(p => p.Name, p => p.Value.GetInt32(), StringComparer.Ordinal);
                revisions = e.GetProperty("revisions").EnumerateObject()
                    .ToImmutableSortedDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal);
            }
            list.Add(new HistoryEntry(v,
                Enum.Parse<UpdateKind>(s.GetProperty("kind").GetString()!, ignoreCase: true),
                s.GetProperty("startTime").GetDateTimeOffset(),
                s.GetProperty("actor").GetString()!,
                s.GetProperty("message").GetString()!,
                s.TryGetProperty("sourceCommit", out var sc) ? sc.GetString() : null,
                s.TryGetProperty("desired", out _),
                result, ended, changes, revisions));
        }
        return list;
    }

    public DesiredStack LoadDesired(int version)
    {
        if (!File.Exists(StartPath(version)))
            throw new InputException($"stack {stack} has no history version {version}");
        var s = JsonDocument.Parse(File.ReadAllBytes(StartPath(version))).RootElement;
        if (!s.TryGetProperty("desired", out var hash))
            throw new InputException($"stack {stack} version {version} is a {s.GetProperty("kind").GetString()}; it recorded no desired state");
        using var gz = new GZipStream(File.OpenRead(Path.Combine(DesiredDir, hash.GetString() + ".json.gz")), CompressionMode.Decompress);
        using var ms = new MemoryStream();
        gz.CopyTo(ms);
        return DesiredStackJson.Read(ms.GetBuffer().AsSpan(0, (int)ms.Length), codec, blobs);
    }

    /// <summary>The name of a chunk made of these very resource objects before (they are immutable, so its content is
    /// the same): a rollout host records a ring's desired stack at each of its window releases, and all but a few
    /// chunks are those of the last one.</summary>
    private static string? HashedBefore(ArraySegment<DesiredResource> chunk, string stack)
    {
        if (chunk.Count == 0 || !Hashed.TryGetValue(chunk[0], out var known) || known.Stack != stack || known.Resources.Length != chunk.Count) return null;
        for (var i = 0; i < chunk.Count; i++)
            if (!ReferenceEquals(known.Resources[i], chunk[i])) return null;
        return known.Hash;
    }

    private static readonly ConditionalWeakTable<DesiredResource, HashedChunk> Hashed = new();

    private sealed record HashedChunk(string Stack, DesiredResource[] Resources, string Hash);

    private string StoreDesired(DesiredStack desired)
    {
        // Each chunk is named by the hash of its secret-free form: encrypted values change with every nonce.
        var chunks = new List<string>();
        foreach (var chunk in DesiredChunks.Split(desired.Resources))
        {
            if (HashedBefore(chunk, desired.Stack) is { } known && blobs.Contains(known))
            {
                chunks.Add(known);
                continue;
            }
            var plain = Utf8(w => DesiredStackJson.WriteChunk(w, chunk, HashingCodec.Instance, desired.Stack));
            var hash = Convert.ToHexStringLower(SHA256.HashData(plain));
            var secret = chunk.Any(r => r.SecretInputs.Count > 0);
            blobs.PutCompressed(hash, secret
                ? System.Text.Encoding.UTF8.GetString(Utf8(w => DesiredStackJson.WriteChunk(w, chunk, codec, desired.Stack)))
                : System.Text.Encoding.UTF8.GetString(plain));
            chunks.Add(hash);
            Hashed.AddOrUpdate(chunk[0], new HashedChunk(desired.Stack, [.. chunk], hash));
        }
        var manifest = Utf8(w => DesiredStackJson.WriteManifest(w, desired, chunks));
        var name = Convert.ToHexStringLower(SHA256.HashData(manifest));
        var path = Path.Combine(DesiredDir, name + ".json.gz");
        // The chunks go first: a manifest on disk always finds its chunks.
        blobs.Flush();
        if (File.Exists(path)) return name;
        Directory.CreateDirectory(DesiredDir);
        AtomicFile.Write(path, fs =>
        {
            using var gz = new GZipStream(fs, CompressionLevel.Fastest, leaveOpen: true);
            gz.Write(manifest);
        });
        return name;
    }

    private static byte[] Utf8(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(1 << 14);
        using (var w = new Utf8JsonWriter(buffer)) write(w);
        return buffer.WrittenSpan.ToArray();
    }

    private static byte[] Json(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
