using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EdgeInfra.Lab.FleetRules.Explain;

/// <summary><c>edgeinfra fleet explain</c>: one JSON input object (kind partition, state or customization) in, one JSON object out.</summary>
public static class FleetExplain
{
    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The output object for <paramref name="json"/>; a Fleet reconcile error is an <c>{"error": …}</c> output, not an exception.</summary>
    /// <exception cref="FleetExplainInputException">The text is not JSON, the kind is unknown, or fields are wrong.</exception>
    public static JsonObject Explain(string json)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json, documentOptions: DocumentOptions);
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $" at line {line + 1}, position {(ex.BytePositionInLine ?? 0) + 1}" : "";
            throw new FleetExplainInputException([$"input is not valid JSON{where}: {FirstSentence(ex.Message)}"]);
        }
        if (node is not JsonObject root) throw new FleetExplainInputException(["input must be one JSON object"]);

        var kind = root["kind"] is JsonValue k && k.TryGetValue<string>(out var s) ? s : null;
        switch (kind)
        {
            case "partition":
                return FleetExplainWriter.Partition(FleetRolloutPass.Run(FleetExplainReader.Partition(root)));
            case "state":
                var (states, ns) = FleetExplainReader.State(root);
                var ordered = states.OrderBy(x => x.Name, StringComparer.Ordinal).Select(x => ($"{ns}/{x.Name}", x.State));
                return FleetExplainWriter.State(FleetStates.Summarize(ordered));
            case "customization":
                var (input, clusters) = FleetExplainReader.Customization(root);
                return FleetExplainWriter.Customization(FleetCustomizations.ResolveAll(input, clusters));
            default:
                throw new FleetExplainInputException([kind is null
                    ? "kind: required (one of: partition, state, customization)"
                    : $"kind: unknown kind '{kind}' (expected one of: partition, state, customization)"]);
        }
    }

    /// <summary>The output as indented JSON text with a final newline.</summary>
    public static string ExplainText(string json)
    {
        var sb = new StringBuilder(Explain(json).ToJsonString(Indented));
        return sb.Append('\n').ToString();
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut < 0) cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
