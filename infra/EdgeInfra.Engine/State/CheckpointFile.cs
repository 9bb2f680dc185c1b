using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EdgeInfra.Engine.Resources;

namespace EdgeInfra.Engine.State;

/// <summary>Reads and writes the Pulumi <c>VersionedCheckpoint</c> v3 file of a stack (and the export form).</summary>
/// <remarks>The stack outputs live in the root <c>pulumi:pulumi:Stack</c> resource, as in Pulumi. Written with a
/// <see cref="ContentStore"/>, the other resources are not inline: <c>edgeinfra:chunks</c> lists the hashes of their
/// chunks (see <see cref="DesiredChunks"/>), stored deflated in the content store, which is what keeps 50,000 stores'
/// state small; <c>stack export</c> writes every resource inline, as Pulumi reads it. Checkpoints written before
/// chunking list every resource inline and read the same.</remarks>
internal static class CheckpointFile
{
    public const string EngineVersion = "3.0.0-edgeinfra.1";
    public static readonly string Magic = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(EngineVersion)));

    /// <param name="blobs">Resolves content stored by reference; checkpoints written before content was stored by
    /// reference hold every value inline and read the same.</param>
    public static StackSnapshot Read(string path, string stack, SecretCodec codec, ContentStore? blobs = null)
    {
        if (!File.Exists(path)) return StackSnapshot.Empty(stack);
        var bytes = File.ReadAllBytes(path);
        var r = new Utf8JsonReader(bytes);
        var resources = new List<ResourceState>();
        var pending = new List<PendingOperation>();
        var outputs = ImmutableSortedDictionary<string, string>.Empty;
        DateTimeOffset? time = null;
        try
        {
            r.Read();
            ReadObject(ref r, (ref Utf8JsonReader r, string p) =>
            {
                if (p != "checkpoint") { r.Skip(); return; }
                ReadObject(ref r, (ref Utf8JsonReader r, string p) =>
                {
                    if (p != "latest") { r.Skip(); return; }
                    ReadObject(ref r, (ref Utf8JsonReader r, string p) =>
                    {
                        switch (p)
                        {
                            case "manifest":
                                ReadObject(ref r, (ref Utf8JsonReader r, string p) =>
                                {
                                    if (p == "time") time = r.GetDateTimeOffset(); else r.Skip();
                                });
                                break;
                            case "resources":
                                while (r.Read() && r.TokenType != JsonTokenType.EndArray)
                                {
                                    var res = ResourceJson.Read(ref r, codec, stack, blobs);
                                    if (res.Urn.IsStackRoot) outputs = res.Outputs.ToImmutableSortedDictionary(StringComparer.Ordinal);
                                    else resources.Add(res);
                                }
                                break;
                            case ChunksKey:
                                foreach (var hash in ResourceJson.ReadStrings(ref r))
                                    resources.AddRange(ReadChunk(blobs ?? throw new JsonException("a chunked checkpoint needs its content store"), hash, codec, stack));
                                break;
                            case "pending_operations":
                                while (r.Read() && r.TokenType != JsonTokenType.EndArray) pending.Add(ReadPending(ref r, codec, stack, blobs));
                                break;
                            default: r.Skip(); break;
                        }
                    });
                });
            });
        }
        catch (JsonException e) { throw new InvalidDataException($"{path}: corrupt checkpoint: {e.Message}", e); }
        return new StackSnapshot(stack, resources, pending, outputs, time);
    }

    /// <summary>Where a checkpoint written with a content store lists its resources: the hashes of their chunks.</summary>
    private const string ChunksKey = "edgeinfra:chunks";

    private static List<ResourceState> ReadChunk(ContentStore blobs, string hash, SecretCodec codec, string stack)
    {
        var r = new Utf8JsonReader(blobs.GetUtf8(hash));
        r.Read();
        ResourceJson.Expect(ref r, JsonTokenType.StartArray);
        var list = new List<ResourceState>(DesiredChunks.Average * 2);
        while (r.Read() && r.TokenType != JsonTokenType.EndArray) list.Add(ResourceJson.Read(ref r, codec, stack));
        return list;
    }

    /// <summary>Stores one chunk of resources (deflated) under the hash of its secret-free form, so a chunk holding
    /// encrypted values is not stored again with every new nonce.</summary>
    private static string StoreChunk(ArraySegment<ResourceState> chunk, SecretCodec codec, string stack, ContentStore blobs)
    {
        var plain = ChunkJson(chunk, HashingCodec.Instance, stack);
        var hash = Convert.ToHexStringLower(SHA256.HashData(plain));
        var stored = chunk.Any(r => r.SecretInputs.Count > 0) ? ChunkJson(chunk, codec, stack) : plain;
        blobs.PutCompressed(hash, Encoding.UTF8.GetString(stored));
        return hash;
    }

    private static byte[] ChunkJson(ArraySegment<ResourceState> chunk, SecretCodec codec, string stack)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(1 << 15);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartArray();
            foreach (var r in chunk) ResourceJson.Write(w, r, codec, stack);
            w.WriteEndArray();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private delegate void PropertyReader(ref Utf8JsonReader r, string property);

    private static void ReadObject(ref Utf8JsonReader r, PropertyReader onProperty)
    {
        ResourceJson.Expect(ref r, JsonTokenType.StartObject);
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            var p = r.GetString()!;
            r.Read();
            onProperty(ref r, p);
        }
    }

    private static PendingOperation ReadPending(ref Utf8JsonReader r, SecretCodec codec, string stack, ContentStore? blobs)
    {
        ResourceState? res = null, old = null;
        string? type = null, kind = null, from = null;
        ReadObject(ref r, (ref Utf8JsonReader r, string p) =>
        {
            switch (p)
            {
                case "resource": res = ResourceJson.Read(ref r, codec, stack, blobs); break;
                case "type": type = r.GetString(); break;
                case "edgeinfra":
                    ReadObject(ref r, (ref Utf8JsonReader r, string p) =>
                    {
                        switch (p)
                        {
                            case "kind": kind = r.GetString(); break;
                            case "from": from = r.GetString(); break;
                            case "old": old = ResourceJson.Read(ref r, codec, stack, blobs); break;
                            default: r.Skip(); break;
                        }
                    });
                    break;
                default: r.Skip(); break;
            }
        });
        var k = kind is not null ? Enum.Parse<PendingKind>(kind)
            : type == "creating" ? PendingKind.Creating : type == "deleting" ? PendingKind.Deleting : PendingKind.Updating;
        return new PendingOperation(k, res ?? throw new JsonException("pending operation without resource"), old, from);
    }

    /// <summary>Writes the checkpoint atomically: a temp file, fsync, then rename over the old one.</summary>
    /// <param name="blobs">Where large values are stored once, by content; its new pack is written and fsynced before
    /// the checkpoint that refers to it is renamed into place.</param>
    public static void Write(string path, string project, StackSnapshot s, SecretCodec codec, DateTimeOffset now,
        ContentStore? blobs = null) =>
        AtomicFile.Write(path, fs =>
        {
            using (var w = new Utf8JsonWriter(fs))
            {
                w.WriteStartObject();
                w.WriteNumber("version", 3);
                w.WriteStartObject("checkpoint");
                w.WriteString("stack", $"organization/{project}/{s.Stack}");
                w.WritePropertyName("latest");
                WriteDeployment(w, project, s, codec, now, export: false, blobs);
                w.WriteEndObject();
                w.WriteEndObject();
            }
            blobs?.Flush();
        });

    /// <summary>Writes a Pulumi <c>DeploymentV3</c>. The export form adds default provider resources for <c>stack import</c>.</summary>
    public static void WriteDeployment(Utf8JsonWriter w, string project, StackSnapshot s, SecretCodec codec,
        DateTimeOffset now, bool export, ContentStore? blobs = null)
    {
        if (export) blobs = null; // an export is self-contained
        w.WriteStartObject();
        w.WriteStartObject("manifest");
        w.WriteString("time", (s.Time ?? now).UtcDateTime.ToString("O"));
        w.WriteString("magic", Magic);
        w.WriteString("version", EngineVersion);
        w.WriteEndObject();
        if (codec.Manager is { } m)
        {
            w.WriteStartObject("secrets_providers");
            w.WriteString("type", m.Type);
            w.WritePropertyName("state");
            w.WriteRawValue(string.IsNullOrWhiteSpace(m.StateJson) ? "{}" : m.StateJson);
            w.WriteEndObject();
        }
        w.WriteStartArray("resources");
        var root = Urn.Create(s.Stack, project, Urn.StackRootType, $"{project}-{s.Stack}");
        var rootState = new ResourceState(root, false, null, null, null, PropertyMap.Empty, PropertyMap.From(s.Outputs));
        ResourceJson.Write(w, rootState, codec, s.Stack, export);
        var providerRefs = new Dictionary<string, string>(StringComparer.Ordinal);
        if (export)
        {
            foreach (var name in s.Resources.Where(r => r.Custom && r.Provider is not null).Select(r => r.Provider!).Distinct().Order(StringComparer.Ordinal))
            {
                var urn = Urn.Create(s.Stack, project, $"pulumi:providers:{name}", "default");
                var id = DeterministicId(urn.Value);
                providerRefs[name] = $"{urn.Value}::{id}";
                ResourceJson.Write(w, new ResourceState(urn, true, id, null, null, PropertyMap.Empty, PropertyMap.Empty), codec, s.Stack, true);
            }
        }
        if (blobs is null)
            foreach (var r in s.Resources)
                ResourceJson.Write(w, r, codec, s.Stack, export,
                    export && r.Provider is not null && providerRefs.TryGetValue(r.Provider, out var pr) ? pr : null);
        w.WriteEndArray();
        if (blobs is not null)
        {
            // Stored in chunks cut by URN: an update that changes a few resources stores a few chunks.
            w.WriteStartArray(ChunksKey);
            foreach (var chunk in DesiredChunks.Split([.. s.Resources], r => r.Urn))
                w.WriteStringValue(StoreChunk(chunk, codec, s.Stack, blobs));
            w.WriteEndArray();
        }
        w.WriteStartArray("pending_operations");
        foreach (var p in s.PendingOperations)
        {
            w.WriteStartObject();
            w.WritePropertyName("resource");
            ResourceJson.Write(w, p.Resource, codec, s.Stack, export, blobs: blobs);
            w.WriteString("type", p.PulumiType);
            if (!export)
            {
                w.WriteStartObject("edgeinfra");
                w.WriteString("kind", p.Kind.ToString());
                if (p.FromStack is not null) w.WriteString("from", p.FromStack);
                if (p.Old is not null)
                {
                    w.WritePropertyName("old");
                    ResourceJson.Write(w, p.Old, codec, s.Stack, blobs: blobs);
                }
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static string DeterministicId(string text)
    {
        var h = SHA256.HashData(Encoding.UTF8.GetBytes(text));
        return new Guid(h.AsSpan(0, 16)).ToString();
    }
}
