using System.Text.Json;
using System.Text.Json.Nodes;

namespace EdgeInfra.Lab.FleetRules.Explain;

/// <summary>Typed reads from explain input objects that record a problem (with its JSON path) instead of throwing.</summary>
internal sealed class JsonFields
{
    private readonly List<string> _problems = [];

    public IReadOnlyList<string> Problems => _problems;

    public void Problem(string path, string message) => _problems.Add($"{path}: {message}");

    /// <summary>Records every key of <paramref name="obj"/> not in <paramref name="known"/> (Fleet would silently ignore a typo).</summary>
    public void OnlyKnown(JsonObject obj, string path, params string[] known)
    {
        foreach (var (key, _) in obj)
            if (Array.IndexOf(known, key) < 0)
                Problem(Join(path, key), $"unknown field (expected one of: {string.Join(", ", known)})");
    }

    public static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    public JsonObject? Object(JsonObject obj, string key, string path)
    {
        var node = obj[key];
        if (node is null) return null;
        if (node is JsonObject o) return o;
        Problem(Join(path, key), $"must be an object, not {Kind(node)}");
        return null;
    }

    public IEnumerable<(JsonObject Item, string Path)> Objects(JsonObject obj, string key, string path)
    {
        var node = obj[key];
        if (node is null) yield break;
        if (node is not JsonArray array)
        {
            Problem(Join(path, key), $"must be a list, not {Kind(node)}");
            yield break;
        }
        for (var i = 0; i < array.Count; i++)
        {
            var itemPath = $"{Join(path, key)}[{i}]";
            if (array[i] is JsonObject item) yield return (item, itemPath);
            else Problem(itemPath, $"must be an object, not {Kind(array[i])}");
        }
    }

    public string? String(JsonObject obj, string key, string path, bool required = false)
    {
        var node = obj[key];
        if (node is null)
        {
            if (required) Problem(Join(path, key), "required string is missing");
            return null;
        }
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String) return v.GetValue<string>();
        Problem(Join(path, key), $"must be a string, not {Kind(node)}");
        return null;
    }

    public bool? Bool(JsonObject obj, string key, string path)
    {
        var node = obj[key];
        if (node is null) return null;
        if (node is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False) return v.GetValue<bool>();
        Problem(Join(path, key), $"must be true or false, not {Kind(node)}");
        return null;
    }

    public int? Int(JsonObject obj, string key, string path)
    {
        var node = obj[key];
        if (node is null) return null;
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var i)) return i;
        Problem(Join(path, key), $"must be an integer, not {Kind(node)}");
        return null;
    }

    /// <summary>An int-or-string field; the string is kept verbatim so Fleet's own validation decides (in the pass).</summary>
    public IntOrPercent? IntOrString(JsonObject obj, string key, string path)
    {
        var node = obj[key];
        if (node is null) return null;
        if (node is JsonValue v)
        {
            if (v.GetValueKind() == JsonValueKind.String) return IntOrPercent.FromString(v.GetValue<string>());
            if (v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var i)) return IntOrPercent.FromInt(i);
        }
        Problem(Join(path, key), $"must be an integer or a string such as \"25%\", not {Kind(node)}");
        return null;
    }

    public Dictionary<string, string> Labels(JsonObject obj, string key, string path)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Object(obj, key, path) is not { } map) return labels;
        foreach (var (k, value) in map)
        {
            if (value is JsonValue v && v.GetValueKind() == JsonValueKind.String) labels[k] = v.GetValue<string>();
            else Problem($"{Join(path, key)}.{k}", $"label values must be strings, not {Kind(value)}");
        }
        return labels;
    }

    private static string Kind(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "an object",
        JsonArray => "a list",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number",
            JsonValueKind.True or JsonValueKind.False => "a boolean",
            _ => "a value",
        },
        _ => "a value",
    };
}
