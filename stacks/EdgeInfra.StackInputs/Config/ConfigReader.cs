using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EdgeInfra.Components.Text;
using EdgeInfra.Components.Yaml;
using YamlDotNet.RepresentationModel;

namespace EdgeInfra.StackInputs.Config;

/// <summary>Reads typed values out of config YAML, collecting a problem (with file:line and key path) for each bad one.</summary>
internal sealed partial class ConfigReader(List<string> problems)
{
    public List<string> Problems => problems;

    public void Problem(ConfigNode at, string message) => problems.Add($"{at.Location}: {at.Path}: {message}");

    public YamlMappingNode? Mapping(ConfigNode at)
    {
        if (at.Node is YamlMappingNode m) return m;
        if (IsNull(at.Node)) return new YamlMappingNode();
        Problem(at, "must be a mapping");
        return null;
    }

    public IEnumerable<ConfigNode> Sequence(ConfigNode at)
    {
        if (at.Node is YamlSequenceNode s)
            return s.Children.Select((c, i) => at.Child(c, $"[{i}]"));
        if (!IsNull(at.Node)) Problem(at, "must be a list");
        return [];
    }

    /// <summary>The entries of a mapping, keyed by their scalar key.</summary>
    public IEnumerable<(string Key, ConfigNode Value)> Entries(ConfigNode at)
    {
        if (Mapping(at) is not { } m) yield break;
        foreach (var (k, v) in m.Children)
        {
            var key = (k as YamlScalarNode)?.Value ?? "";
            var child = at.Child(v, key, (int)k.Start.Line);
            // Keys name apps, zones and overlays: they reach file paths and labels, so they are checked like values.
            if (!IsPlainText(child, key)) continue;
            yield return (key, child);
        }
    }

    /// <summary>A mapping's fields by name, reporting each field not in <paramref name="known"/> (typos are silent otherwise).</summary>
    public Dictionary<string, ConfigNode> Fields(ConfigNode at, params string[] known)
    {
        var fields = new Dictionary<string, ConfigNode>(StringComparer.Ordinal);
        foreach (var (key, value) in Entries(at))
        {
            if (Array.IndexOf(known, key) < 0)
                Problem(value, $"unknown field '{key}' (known: {string.Join(", ", known)})");
            else
                fields[key] = value;
        }
        return fields;
    }

    public string? String(Dictionary<string, ConfigNode> fields, string name, ConfigNode owner, bool required = false)
    {
        if (!fields.TryGetValue(name, out var at) || IsNull(at.Node))
        {
            if (required) Problem(owner, $"'{name}' is required");
            return null;
        }
        if (at.Node is YamlScalarNode s) return IsPlainText(at, s.Value ?? "") ? s.Value ?? "" : null;
        Problem(at, "must be a single value");
        return null;
    }

    /// <summary>The longest single value (a name, a URL, a version) config may hold.</summary>
    public const int MaxValueLength = 2048;

    /// <summary>
    /// Every name and value read here ends up in a label, a file path, a commit message or a command line: one line of
    /// visible text, bounded in length. Control characters (a newline would forge a label or a commit trailer) and
    /// invisible format characters (zero-width spaces, bidi overrides that make two names look alike) are refused where
    /// they enter, with the file and line.
    /// </summary>
    private bool IsPlainText(ConfigNode at, string value)
    {
        if (value.Length > MaxValueLength)
        {
            Problem(at, $"a value of {value.Length:N0} characters is longer than the {MaxValueLength:N0} allowed");
            return false;
        }
        if (PlainText.FirstHiddenCharacter(value) is { } bad)
        {
            Problem(at, $"'{PlainText.Visible(value)}' holds {PlainText.Describe(value, bad)}; values are single-line visible text");
            return false;
        }
        return true;
    }

    public double? Number(Dictionary<string, ConfigNode> fields, string name, ConfigNode owner, bool required = false)
    {
        var text = String(fields, name, owner, required);
        if (text is null) return null;
        if (double.TryParse(text.TrimEnd('%'), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)) return d;
        Problem(fields[name], $"'{text}' is not a number");
        return null;
    }

    public int? Integer(Dictionary<string, ConfigNode> fields, string name, ConfigNode owner)
    {
        var text = String(fields, name, owner);
        if (text is null) return null;
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)) return n;
        Problem(fields[name], $"'{text}' is not an integer");
        return null;
    }

    /// <summary>A duration such as <c>30m</c>, <c>2h</c>, <c>1h30m</c> or <c>1d</c>; <c>0</c> means none.</summary>
    public TimeSpan? Duration(Dictionary<string, ConfigNode> fields, string name, ConfigNode owner)
    {
        var text = String(fields, name, owner);
        if (text is null) return null;
        if (DurationText.TryParse(text, out var span)) return span;
        Problem(fields[name], $"'{text}' is not a duration (use s, m, h or d units, e.g. 30m, 2h, 1h30m)");
        return null;
    }

    public DateOnly? Date(Dictionary<string, ConfigNode> fields, string name, ConfigNode owner)
    {
        var text = String(fields, name, owner);
        if (text is null) return null;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return d;
        Problem(fields[name], $"'{text}' is not a date (use YYYY-MM-DD)");
        return null;
    }

    /// <summary>A free-form object (e.g. Helm values) as JSON, with YAML 1.2 core scalars.</summary>
    public JsonObject Object(Dictionary<string, ConfigNode> fields, string name)
    {
        if (!fields.TryGetValue(name, out var at) || IsNull(at.Node)) return new JsonObject();
        if (at.Node is YamlMappingNode && YamlJsonReader.Convert(at.Node) is JsonObject o)
        {
            RefuseNumbersOutOfRange(at);
            return o;
        }
        Problem(at, "must be a mapping");
        return new JsonObject();
    }

    /// <summary>A plain number beyond a double's range (<c>1e309</c>) reads as infinity, which neither JSON nor a Helm
    /// values file can hold: it is refused at its own line rather than failing the render later.</summary>
    private void RefuseNumbersOutOfRange(ConfigNode at)
    {
        switch (at.Node)
        {
            case YamlMappingNode m:
                foreach (var (k, v) in m.Children) RefuseNumbersOutOfRange(at.Child(v, (k as YamlScalarNode)?.Value ?? "?", (int)k.Start.Line));
                break;
            case YamlSequenceNode s:
                for (var i = 0; i < s.Children.Count; i++) RefuseNumbersOutOfRange(at.Child(s.Children[i], $"[{i}]"));
                break;
            case YamlScalarNode sc when YamlJsonReader.Convert(sc) is JsonValue v && v.TryGetValue<double>(out var d) && !double.IsFinite(d):
                Problem(at, $"'{sc.Value}' is out of range for a number (quote it to keep it as text)");
                break;
        }
    }

    /// <summary>A map of string to string (e.g. a label selector).</summary>
    public Dictionary<string, string> StringMap(ConfigNode at)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in Entries(at))
        {
            if (value.Node is YamlScalarNode s) { if (IsPlainText(value, s.Value ?? "")) map[key] = s.Value ?? ""; }
            else Problem(value, "must be a single value");
        }
        return map;
    }

    public IReadOnlyList<string> StringList(Dictionary<string, ConfigNode> fields, string name)
    {
        if (!fields.TryGetValue(name, out var at)) return [];
        var list = new List<string>();
        foreach (var item in Sequence(at))
        {
            if (item.Node is YamlScalarNode s && !string.IsNullOrEmpty(s.Value)) { if (IsPlainText(item, s.Value)) list.Add(s.Value); }
            else Problem(item, "must be a single value");
        }
        return list;
    }

    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain, Value: "" or "~" or "null" or null };
}
