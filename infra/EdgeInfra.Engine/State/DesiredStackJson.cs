using System.Collections.Immutable;
using System.Text.Json;
using EdgeInfra.Engine.Resources;

namespace EdgeInfra.Engine.State;

/// <summary>Serialises a <see cref="DesiredStack"/> for history, secret inputs encrypted, so it can be re-applied: a
/// manifest and its chunks (read: also the whole-stack documents written before chunking).</summary>
internal static class DesiredStackJson
{
    /// <summary>The stack's name, project and outputs with its resources as a list of chunk hashes (see
    /// <see cref="DesiredChunks"/>); each chunk is a <see cref="WriteChunk"/> document stored by the caller.</summary>
    public static void WriteManifest(Utf8JsonWriter w, DesiredStack d, IEnumerable<string> chunkHashes)
    {
        WriteHeader(w, d);
        w.WriteStartArray("chunks");
        foreach (var h in chunkHashes) w.WriteStringValue(h);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>The whole stack as one document: its header and every resource, secret inputs encrypted by <paramref name="codec"/>.</summary>
    public static void WriteWhole(Utf8JsonWriter w, DesiredStack d, SecretCodec codec)
    {
        WriteHeader(w, d);
        w.WritePropertyName("resources");
        WriteChunk(w, d.Resources, codec, d.Stack);
        w.WriteEndObject();
    }

    /// <summary>A run of consecutive resources as a JSON array, secret inputs encrypted by <paramref name="codec"/>.</summary>
    public static void WriteChunk(Utf8JsonWriter w, IEnumerable<DesiredResource> resources, SecretCodec codec, string stack)
    {
        w.WriteStartArray();
        foreach (var r in resources) WriteResource(w, r, codec, stack);
        w.WriteEndArray();
    }

    private static void WriteHeader(Utf8JsonWriter w, DesiredStack d)
    {
        w.WriteStartObject();
        w.WriteString("stack", d.Stack);
        w.WriteString("project", d.Project);
        w.WriteStartObject("outputs");
        foreach (var (k, v) in d.Outputs) w.WriteString(k, v);
        w.WriteEndObject();
    }

    private static void WriteResource(Utf8JsonWriter w, DesiredResource r, SecretCodec codec, string stack)
    {
        w.WriteStartObject();
        w.WriteString("urn", r.Urn.Value);
        w.WriteBoolean("custom", r.Custom);
        if (r.Parent is { } p) w.WriteString("parent", p.Value);
        if (r.Provider is not null) w.WriteString("provider", r.Provider);
        ResourceJson.WriteProps(w, "inputs", r.Inputs, r.SecretInputs, codec, stack);
        if (r.MoveKey is not null) w.WriteString("moveKey", r.MoveKey);
        if (r.Tags.Count > 0)
        {
            w.WriteStartObject("tags");
            foreach (var (k, v) in r.Tags.OrderBy(t => t.Key, StringComparer.Ordinal)) w.WriteString(k, v);
            w.WriteEndObject();
        }
        var o = r.Options;
        if (o != ResourceOptions.Default)
        {
            w.WriteStartObject("options");
            if (o.Protect) w.WriteBoolean("protect", true);
            if (o.DeleteBeforeReplace) w.WriteBoolean("deleteBeforeReplace", true);
            Strings(w, "dependsOn", o.DependsOn.Select(u => u.Value));
            Strings(w, "ignoreChanges", o.IgnoreChanges);
            Strings(w, "replaceOnChanges", o.ReplaceOnChanges);
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    private static void Strings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) w.WriteStringValue(v);
        w.WriteEndArray();
    }

    /// <summary>Reads a whole-stack document or a manifest, whose chunks <paramref name="blobs"/> holds.</summary>
    public static DesiredStack Read(ReadOnlySpan<byte> json, SecretCodec codec, ContentStore? blobs = null)
    {
        var r = new Utf8JsonReader(json);
        r.Read();
        string stack = "", project = "";
        var outputs = ImmutableSortedDictionary<string, string>.Empty;
        var resources = ImmutableArray.CreateBuilder<DesiredResource>();
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            var p = r.GetString();
            r.Read();
            switch (p)
            {
                case "stack": stack = r.GetString()!; break;
                case "project": project = r.GetString()!; break;
                case "outputs": outputs = ResourceJson.ReadStringMap(ref r).ToImmutableSortedDictionary(StringComparer.Ordinal); break;
                case "resources":
                    while (r.Read() && r.TokenType != JsonTokenType.EndArray) resources.Add(ReadResource(ref r, codec, stack, blobs));
                    break;
                case "chunks":
                    foreach (var hash in ResourceJson.ReadStrings(ref r))
                    {
                        var chunk = (blobs ?? throw new JsonException("a chunked desired state needs its content store")).GetUtf8(hash);
                        var c = new Utf8JsonReader(chunk);
                        c.Read();
                        ResourceJson.Expect(ref c, JsonTokenType.StartArray);
                        while (c.Read() && c.TokenType != JsonTokenType.EndArray) resources.Add(ReadResource(ref c, codec, stack, blobs));
                    }
                    break;
                default: r.Skip(); break;
            }
        }
        return new DesiredStack(stack, project, resources.ToImmutable(), outputs);
    }

    private static DesiredResource ReadResource(ref Utf8JsonReader r, SecretCodec codec, string stack, ContentStore? blobs)
    {
        string? urn = null, parent = null, provider = null, moveKey = null;
        var custom = false;
        var inputs = PropertyMap.Empty;
        var secrets = new HashSet<string>(StringComparer.Ordinal);
        var tags = ImmutableDictionary<string, string>.Empty;
        var options = ResourceOptions.Default;
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            var p = r.GetString();
            r.Read();
            switch (p)
            {
                case "urn": urn = r.GetString(); break;
                case "custom": custom = r.GetBoolean(); break;
                case "parent": parent = r.GetString(); break;
                case "provider": provider = r.GetString(); break;
                case "moveKey": moveKey = r.GetString(); break;
                case "inputs": inputs = ResourceJson.ReadProps(ref r, secrets, codec, stack, blobs); break;
                case "tags": tags = ResourceJson.ReadStringMap(ref r).ToImmutableDictionary(StringComparer.Ordinal); break;
                case "options": options = ReadOptions(ref r); break;
                default: r.Skip(); break;
            }
        }
        return new DesiredResource(new Urn(urn!), custom, parent is null ? null : new Urn(parent), provider, inputs, options)
        {
            SecretInputs = secrets.ToImmutableHashSet(StringComparer.Ordinal), MoveKey = moveKey, Tags = tags,
        };
    }

    private static ResourceOptions ReadOptions(ref Utf8JsonReader r)
    {
        var o = new ResourceOptions();
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            var p = r.GetString();
            r.Read();
            o = p switch
            {
                "protect" => o with { Protect = r.GetBoolean() },
                "deleteBeforeReplace" => o with { DeleteBeforeReplace = r.GetBoolean() },
                "dependsOn" => o with { DependsOn = [.. ResourceJson.ReadStrings(ref r).Select(s => new Urn(s))] },
                "ignoreChanges" => o with { IgnoreChanges = [.. ResourceJson.ReadStrings(ref r)] },
                "replaceOnChanges" => o with { ReplaceOnChanges = [.. ResourceJson.ReadStrings(ref r)] },
                _ => Skip(ref r, o),
            };
        }
        return o;
    }

    private static ResourceOptions Skip(ref Utf8JsonReader r, ResourceOptions o)
    {
        r.Skip();
        return o;
    }
}
