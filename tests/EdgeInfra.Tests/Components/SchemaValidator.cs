using System.Text.Json.Nodes;
using EdgeInfra.Components.Yaml;
using NJsonSchema;

namespace EdgeInfra.Tests.Components;

/// <summary>Validates rendered documents against Fleet's fleet.yaml JSON Schema and its CRDs' openAPIV3Schema.</summary>
internal static class SchemaValidator
{
    private static readonly Lazy<JsonSchema> FleetYaml = new(LoadFleetYamlSchema);
    private static readonly Lazy<Dictionary<string, JsonSchema>> Crds = new(LoadCrdSchemas);

    /// <summary>Every schema violation in a rendered fleet.yaml, as "path: kind" strings.</summary>
    public static IReadOnlyList<string> ValidateFleetYaml(string yaml) => Validate(FleetYaml.Value, yaml);

    /// <summary>Every violation of a rendered Fleet custom resource against its CRD (unknown fields included).</summary>
    public static IReadOnlyList<string> ValidateResource(string yaml)
    {
        var kind = YamlJsonReader.Read(yaml)?["kind"]?.GetValue<string>() ?? "";
        if (!Crds.Value.TryGetValue(kind, out var schema)) return [$"no CRD for kind '{kind}'"];
        return Validate(schema, yaml);
    }

    private static IReadOnlyList<string> Validate(JsonSchema schema, string yaml)
    {
        var json = YamlJsonReader.Read(yaml)?.ToJsonString() ?? "null";
        return schema.Validate(json).Select(e => $"{e.Path}: {e.Kind} {e}").ToList();
    }

    private static JsonSchema LoadFleetYamlSchema()
    {
        // NJsonSchema resolves draft-4/7 'definitions'; the 2020-12 '$defs' are renamed to match.
        var text = File.ReadAllText(Path.Combine(RepoPaths.ReferenceData, "fleet.yaml.schema.json"))
            .Replace("\"$defs\"", "\"definitions\"", StringComparison.Ordinal)
            .Replace("#/$defs/", "#/definitions/", StringComparison.Ordinal)
            .Replace("https://json-schema.org/draft/2020-12/schema", "http://json-schema.org/draft-07/schema#", StringComparison.Ordinal);
        return JsonSchema.FromJsonAsync(text).GetAwaiter().GetResult();
    }

    private static Dictionary<string, JsonSchema> LoadCrdSchemas()
    {
        var result = new Dictionary<string, JsonSchema>(StringComparer.Ordinal);
        foreach (var doc in YamlJsonReader.ReadAll(File.ReadAllText(Path.Combine(RepoPaths.ReferenceData, "fleet-crds.yaml"))))
        {
            if (doc?["kind"]?.GetValue<string>() != "CustomResourceDefinition") continue;
            var kind = doc["spec"]!["names"]!["kind"]!.GetValue<string>();
            var version = doc["spec"]!["versions"]!.AsArray().First(v => v!["name"]!.GetValue<string>() == "v1alpha1")!;
            var openApi = (JsonObject)version["schema"]!["openAPIV3Schema"]!.DeepClone();
            var schemaJson = Structural(openApi);
            result[kind] = JsonSchema.FromJsonAsync(schemaJson.ToJsonString()).GetAwaiter().GetResult();
        }
        return result;
    }

    /// <summary>
    /// Turns a Kubernetes structural schema into plain JSON Schema: int-or-string → string|integer, nullable → null
    /// allowed, and objects strict (the API server would prune unknown fields silently; we want them reported) except
    /// where x-kubernetes-preserve-unknown-fields keeps them. Metadata gets the fields we render.
    /// </summary>
    private static JsonObject Structural(JsonObject schema, bool isMetadata = false)
    {
        if (isMetadata)
        {
            return new JsonObject
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
        }
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
                    result[key] = Structural(sub);
                    break;
                case "type":
                    var type = value!.GetValue<string>();
                    result["type"] = nullable ? new JsonArray(type, "null") : type;
                    break;
                case "anyOf" or "oneOf" or "allOf" when intOrString:
                    break;
                case "anyOf" or "oneOf" or "allOf":
                    result[key] = new JsonArray(value!.AsArray().Select(v => (JsonNode?)Structural(v!.AsObject())).ToArray());
                    break;
                case "description" or "nullable" or "format" or "default" or "enum" or "required" or "maxLength" or "minLength"
                    or "maximum" or "minimum" or "pattern" or "maxItems" or "minItems":
                    if (key is not ("description" or "nullable" or "format")) result[key] = value?.DeepClone();
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
