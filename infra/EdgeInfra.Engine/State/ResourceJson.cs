using System.Collections.Immutable;
using System.Text.Json;
using EdgeInfra.Engine.Resources;

namespace EdgeInfra.Engine.State;

/// <summary>Reads and writes one <see cref="ResourceState"/> as a Pulumi ResourceV3-shaped JSON object, secrets encrypted.</summary>
/// <remarks>
/// Hand-written on Utf8JsonWriter/Reader because checkpoints hold ~40,000 resources: no reflection, no DOM. Which keys
/// are secret is not stored separately: a value written as Pulumi's secret object marks its key secret on read.
/// </remarks>
internal static class ResourceJson
{
    /// <param name="blobs">Where large values go, written as references (checkpoints); null writes every value inline
    /// (journal records, exports).</param>
    public static void Write(Utf8JsonWriter w, ResourceState r, SecretCodec codec, string stack, bool exportShape = false,
        string? providerRef = null, ContentStore? blobs = null)
    {
        w.WriteStartObject();
        w.WriteString("urn", r.Urn.Value);
        w.WriteBoolean("custom", r.Custom);
        if (r.Id is not null) w.WriteString("id", r.Id);
        w.WriteString("type", r.Type);
        WriteProps(w, "inputs", r.Inputs, r.SecretInputs, codec, stack, blobs);
        WriteProps(w, "outputs", r.Outputs, r.SecretInputs, codec, stack, blobs);
        if (r.Parent is { } p) w.WriteString("parent", p.Value);
        if (providerRef is not null) w.WriteString("provider", providerRef);
        else if (r.Provider is not null) w.WriteString("provider", r.Provider);
        if (r.Protect) w.WriteBoolean("protect", true);
        WriteArray(w, "dependencies", r.Dependencies.Select(d => d.Value));
        WriteArray(w, "ignoreChanges", r.IgnoreChanges);
        WriteArray(w, "replaceOnChanges", r.ReplaceOnChanges);
        if (r.Created is { } c) w.WriteString("created", c.UtcDateTime.ToString("O"));
        if (r.Modified is { } m) w.WriteString("modified", m.UtcDateTime.ToString("O"));
        if (!exportShape)
        {
            if (r.MoveKey is not null) w.WriteString("moveKey", r.MoveKey);
            if (r.Tags.Count > 0)
            {
                w.WriteStartObject("tags");
                foreach (var (k, v) in r.Tags.OrderBy(t => t.Key, StringComparer.Ordinal)) w.WriteString(k, v);
                w.WriteEndObject();
            }
        }
        w.WriteEndObject();
    }

    /// <summary>The key of a value stored by reference: <c>{"blob": "&lt;sha256&gt;"}</c> in place of the string.</summary>
    public const string BlobKey = "blob";

    public static void WriteProps(Utf8JsonWriter w, string name, PropertyMap props, IReadOnlySet<string> secretKeys,
        SecretCodec codec, string stack, ContentStore? blobs = null)
    {
        w.WriteStartObject(name);
        foreach (var (k, v) in props)
        {
            if (secretKeys.Contains(k))
            {
                w.WriteStartObject(k);
                w.WriteString(SecretCodec.SigKey, SecretCodec.SecretSig);
                w.WriteString("ciphertext", codec.Encrypt(stack, v));
                w.WriteEndObject();
            }
            else if (blobs is not null && ContentStore.IsLarge(v))
            {
                w.WriteStartObject(k);
                w.WriteString(BlobKey, blobs.Put(v));
                w.WriteEndObject();
            }
            else w.WriteString(k, v);
        }
        w.WriteEndObject();
    }

    private static void WriteArray(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        using var e = values.GetEnumerator();
        if (!e.MoveNext()) return;
        w.WriteStartArray(name);
        do w.WriteStringValue(e.Current); while (e.MoveNext());
        w.WriteEndArray();
    }

    /// <summary>Reads a resource object; the reader is positioned on its StartObject and ends on its EndObject.</summary>
    public static ResourceState Read(ref Utf8JsonReader r, SecretCodec codec, string stack, ContentStore? blobs = null)
    {
        Expect(ref r, JsonTokenType.StartObject);
        string? urn = null, id = null, parent = null, provider = null, moveKey = null;
        bool custom = false, protect = false;
        PropertyMap inputs = PropertyMap.Empty, outputs = PropertyMap.Empty;
        var secrets = new HashSet<string>(StringComparer.Ordinal);
        ImmutableArray<Urn> deps = [];
        ImmutableArray<string> ignore = [], replaceOn = [];
        DateTimeOffset? created = null, modified = null;
        var tags = ImmutableDictionary<string, string>.Empty;
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            var prop = r.GetString();
            r.Read();
            switch (prop)
            {
                case "urn": urn = r.GetString(); break;
                case "custom": custom = r.GetBoolean(); break;
                case "id": id = r.GetString(); break;
                case "parent": parent = r.GetString(); break;
                case "provider": provider = r.GetString(); break;
                case "protect": protect = r.GetBoolean(); break;
                case "moveKey": moveKey = r.GetString(); break;
                case "inputs": inputs = ReadProps(ref r, secrets, codec, stack, blobs); break;
                case "outputs": outputs = ReadProps(ref r, secrets, codec, stack, blobs); break;
                case "dependencies": deps = [.. ReadStrings(ref r).Select(s => new Urn(s))]; break;
                case "ignoreChanges": ignore = [.. ReadStrings(ref r)]; break;
                case "replaceOnChanges": replaceOn = [.. ReadStrings(ref r)]; break;
                case "created": created = r.GetDateTimeOffset(); break;
                case "modified": modified = r.GetDateTimeOffset(); break;
                case "tags": tags = ReadStringMap(ref r).ToImmutableDictionary(StringComparer.Ordinal); break;
                default: r.Skip(); break;
            }
        }
        if (urn is null) throw new JsonException("resource without urn");
        return new ResourceState(new Urn(urn), custom, id, parent is null ? null : new Urn(parent), provider, inputs, outputs)
        {
            SecretInputs = secrets.Count == 0 ? [] : secrets.ToImmutableHashSet(StringComparer.Ordinal),
            Dependencies = deps, Protect = protect, IgnoreChanges = ignore, ReplaceOnChanges = replaceOn,
            MoveKey = moveKey, Tags = tags, Created = created, Modified = modified,
        };
    }

    /// <summary>Reads a property object: plain strings, secret objects (the key is added to <paramref name="secrets"/>)
    /// and blob references, resolved through <paramref name="blobs"/>.</summary>
    public static PropertyMap ReadProps(ref Utf8JsonReader r, HashSet<string>? secrets, SecretCodec codec, string stack,
        ContentStore? blobs = null)
    {
        Expect(ref r, JsonTokenType.StartObject);
        var items = new List<KeyValuePair<string, string>>();
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            var key = r.GetString()!;
            r.Read();
            if (r.TokenType == JsonTokenType.String) items.Add(KeyValuePair.Create(key, r.GetString()!));
            else if (r.TokenType == JsonTokenType.StartObject)
            {
                string? cipher = null, plain = null, blob = null;
                while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
                {
                    var p = r.GetString();
                    r.Read();
                    if (p == "ciphertext") cipher = r.GetString();
                    else if (p == "plaintext") plain = r.GetString();
                    else if (p == BlobKey) blob = r.GetString();
                    else r.Skip();
                }
                if (blob is not null)
                {
                    items.Add(KeyValuePair.Create(key, (blobs ?? throw new JsonException($"'{key}' refers to stored content, which is not read here")).Get(blob)));
                    continue;
                }
                var value = cipher is not null ? codec.Decrypt(stack, cipher)
                    : plain is not null ? JsonSerializer.Deserialize(plain, StateJsonContext.Default.String) ?? ""
                    : throw new JsonException($"secret value of '{key}' has neither ciphertext nor plaintext");
                items.Add(KeyValuePair.Create(key, value));
                secrets?.Add(key);
            }
            else throw new JsonException($"property '{key}' is not a string");
        }
        return PropertyMap.FromOrdered(items);
    }

    public static List<string> ReadStrings(ref Utf8JsonReader r)
    {
        Expect(ref r, JsonTokenType.StartArray);
        var list = new List<string>();
        while (r.Read() && r.TokenType != JsonTokenType.EndArray) list.Add(r.GetString()!);
        return list;
    }

    public static Dictionary<string, string> ReadStringMap(ref Utf8JsonReader r)
    {
        Expect(ref r, JsonTokenType.StartObject);
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            var k = r.GetString()!;
            r.Read();
            map[k] = r.GetString()!;
        }
        return map;
    }

    public static void Expect(ref Utf8JsonReader r, JsonTokenType type)
    {
        if (r.TokenType != type) throw new JsonException($"expected {type}, found {r.TokenType} at byte {r.TokenStartIndex}");
    }
}
