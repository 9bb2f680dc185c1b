using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EdgeInfra.Components.Rendering;

/// <summary>Deep merge and canonical text of JSON values, as Fleet merges <c>helm.values</c>.</summary>
public static class JsonMerge
{
    /// <summary>A new object: <paramref name="baseObject"/> with <paramref name="overlay"/> merged in (objects recursively, everything else replaced).</summary>
    public static JsonObject DeepMerge(JsonObject baseObject, JsonObject overlay)
    {
        var result = (JsonObject)baseObject.DeepClone();
        MergeInto(result, overlay);
        return result;
    }

    private static void MergeInto(JsonObject target, JsonObject overlay)
    {
        foreach (var (key, value) in overlay)
        {
            if (value is JsonObject overlayChild && target[key] is JsonObject targetChild)
                MergeInto(targetChild, overlayChild);
            else
                target[key] = value?.DeepClone();
        }
    }

    /// <summary>JSON text with object keys sorted ordinally, so equal values give equal text whatever their key order.</summary>
    public static string Canonical(JsonNode? node)
    {
        var sb = new StringBuilder();
        WriteCanonical(sb, node);
        return sb.ToString();
    }

    private static void WriteCanonical(StringBuilder sb, JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                sb.Append('{');
                var first = true;
                foreach (var (k, v) in o.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (!first) sb.Append(',');
                    first = false;
                    sb.Append(JsonSerializer.Serialize(k)).Append(':');
                    WriteCanonical(sb, v);
                }
                sb.Append('}');
                break;
            case JsonArray a:
                sb.Append('[');
                for (var i = 0; i < a.Count; i++)
                {
                    if (i > 0) sb.Append(',');
                    WriteCanonical(sb, a[i]);
                }
                sb.Append(']');
                break;
            case null: sb.Append("null"); break;
            default: sb.Append(node.ToJsonString()); break;
        }
    }
}
