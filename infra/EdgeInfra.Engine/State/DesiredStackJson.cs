using System.Collections.Immutable;
using System.Text.Json;
using EdgeInfra.Engine.Resources;

namespace EdgeInfra.Engine.State;

/// <summary>Serialises a <see cref="DesiredStack"/> for history, secret inputs encrypted, so it can be re-applied.</summary>
internal static class DesiredStackJson
{
    /// <param name="blobs">Where large inputs are stored once, by content (the caller flushes it before the document
    /// is renamed into place); null writes them inline.</param>
    public static void Write(Utf8JsonWriter w, DesiredStack d, SecretCodec codec, ContentStore? blobs = null)
    {
        w.WriteStartObject();
        w.WriteString("stack", d.Stack);
        w.WriteString("project", d.Project);
        w.WriteStartObject("outputs");
        foreach (var (k, v) in d.Outputs) w.WriteString(k, v);
        w.WriteEndObject();
        w.WriteStartArray("resources");
        foreach (var r in d.Resources)
        {
            w.WriteStartObject();
            w.WriteString("urn", r.Urn.Value);
            w.WriteBoolean("custom", r.Custom);
            if (r.Parent is { } p) w.WriteString("parent", p.Value);
            if (r.Provider is not null) w.WriteString("provider", r.Provider);
            ResourceJson.WriteProps(w, "inputs", r.Inputs, r.SecretInputs, codec, d.Stack, blobs);
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
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void Strings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) w.WriteStringValue(v);
        w.WriteEndArray();
    }

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
