using System.Text.Json.Nodes;

namespace EdgeInfra.Components.FleetSchema;

/// <summary>Turns a Kubernetes structural schema (a CRD's openAPIV3Schema) into plain JSON Schema draft 7.</summary>
/// <remarks>
/// int-or-string becomes string|integer and nullable allows null. Objects are strict: the API server would prune an
/// unknown field silently, and a field we render that Fleet drops is a bug we want reported, so only
/// <c>x-kubernetes-preserve-unknown-fields</c> keeps them open. Metadata is not described by CRDs; it gets the fields
/// the renderer writes, with Kubernetes' name length limit.
/// </remarks>
internal static class CrdStructuralSchema
{
    public static JsonObject Convert(JsonObject schema) => Structural(schema, isMetadata: false);

    private static JsonObject Metadata() => new()
    {
        ["type"] = "object",
        ["required"] = new JsonArray("name"),
        ["additionalProperties"] = false,
        ["properties"] = new JsonObject
        {
            ["name"] = new JsonObject { ["type"] = "string", ["minLength"] = 1, ["maxLength"] = 253 },
            ["namespace"] = new JsonObject { ["type"] = "string" },
            ["labels"] = new JsonObject { ["type"] = "object", ["additionalProperties"] = new JsonObject { ["type"] = "string" } },
            ["annotations"] = new JsonObject { ["type"] = "object", ["additionalProperties"] = new JsonObject { ["type"] = "string" } },
        },
    };

    private static JsonObject Structural(JsonObject schema, bool isMetadata)
    {
        if (isMetadata) return Metadata();
        var result = new JsonObject();
        var nullable = schema["nullable"]?.GetValue<bool>() == true;
        var intOrString = schema["x-kubernetes-int-or-string"]?.GetValue<bool>() == true;
        var preserve = schema["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() == true;
        foreach (var (key, value) in schema)
        {
            switch (key)
            {
                case "properties":
                    var props = new JsonObject();
                    foreach (var (name, sub) in value!.AsObject())
                        props[name] = Structural(sub!.AsObject(), isMetadata: name == "metadata" && sub!["properties"] is null);
                    result["properties"] = props;
                    break;
                case "items" or "additionalProperties" when value is JsonObject sub:
                    result[key] = Structural(sub, isMetadata: false);
                    break;
                case "type":
                    var type = value!.GetValue<string>();
                    result["type"] = nullable ? new JsonArray(type, "null") : type;
                    break;
                case "anyOf" or "oneOf" or "allOf" when intOrString:
                    break;
                case "anyOf" or "oneOf" or "allOf":
                    result[key] = new JsonArray([.. value!.AsArray().Select(v => (JsonNode?)Structural(v!.AsObject(), isMetadata: false))]);
                    break;
                case "default" or "enum" or "required" or "maxLength" or "minLength" or "maximum" or "minimum" or "pattern"
                    or "maxItems" or "minItems":
                    result[key] = value?.DeepClone();
                    break;
            }
        }
        if (intOrString)
            result["anyOf"] = new JsonArray(new JsonObject { ["type"] = "integer" }, new JsonObject { ["type"] = "string" });
        if (schema["properties"] is not null && !preserve && schema["additionalProperties"] is null)
            result["additionalProperties"] = false;
        return result;
    }
}
