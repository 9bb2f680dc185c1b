using System.Reflection;
using System.Text.Json.Nodes;
using EdgeInfra.Components.Rendering;
using EdgeInfra.Components.Yaml;
using NJsonSchema;
using NJsonSchema.Validation;
using YamlDotNet.Core;

namespace EdgeInfra.Components.FleetSchema;

/// <summary>Validates rendered fleet.yaml files against Fleet's JSON Schema and Fleet objects against its CRDs.</summary>
/// <remarks>
/// The schemas are those of the Fleet version we target, embedded from <c>FleetSchema/Data</c> (see its NOTICE.md). Fleet
/// itself ignores unknown fleet.yaml keys and the API server prunes unknown fields, so a typo would otherwise deploy as
/// a silent no-op; here it is refused with the file and the JSON path.
/// </remarks>
public static partial class FleetSchemaValidator
{
    /// <summary>The API group of Fleet's custom resources.</summary>
    public const string FleetApiGroup = "fleet.cattle.io";

    private static readonly Lazy<JsonSchema> FleetYaml = new(LoadFleetYamlSchema);
    // Each CRD is parsed and turned into a schema only when an object of its kind is first validated: the whole file is
    // over 10,000 lines (Bundle and BundleDeployment alone are most of it) and a run validates a few kinds at most.
    private static readonly Lazy<IReadOnlyDictionary<string, Lazy<JsonSchema>>> Crds = new(SplitCrds);

    private static readonly Lazy<string> SchemaFingerprint = new(() => Convert.ToHexStringLower(
        System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(ReadResource("fleet-crds.yaml") + "\0" + ReadResource("fleet.yaml.schema.json")))));

    /// <summary>A digest of the embedded schemas, so results cached under other schemas are not trusted.</summary>
    public static string Fingerprint => "fleet-schema/1 " + SchemaFingerprint.Value;

    /// <summary>The kinds of Fleet's CRDs (Bundle, Cluster, ClusterGroup, GitRepo, …).</summary>
    public static IReadOnlyCollection<string> Kinds => [.. Crds.Value.Keys];

    /// <summary>Every schema violation of a fleet.yaml text, each as "JSON path: what is wrong".</summary>
    public static IReadOnlyList<string> ValidateFleetYaml(string yaml) => Validate(FleetYaml.Value, YamlJsonReader.Read(yaml));

    /// <summary>Every violation of one Fleet custom resource (YAML or JSON text) against its CRD, unknown fields included.</summary>
    public static IReadOnlyList<string> ValidateResource(string yaml) => ValidateResource(YamlJsonReader.Read(yaml));

    /// <summary>Every violation of one Fleet custom resource against its CRD, unknown fields included.</summary>
    public static IReadOnlyList<string> ValidateResource(JsonNode? resource)
    {
        var kind = resource?["kind"] is JsonValue v && v.TryGetValue<string>(out var k) ? k : "";
        if (!Crds.Value.TryGetValue(kind, out var schema))
            return [$"$.kind: '{kind}' is not a kind of {FleetApiGroup} (known: {string.Join(", ", Crds.Value.Keys.Order(StringComparer.Ordinal))})"];
        return Validate(schema.Value, resource);
    }

    /// <summary>
    /// Every problem of one rendered fleet-repo file, each as "path: JSON path: what is wrong": a <c>fleet.yaml</c> against
    /// the fleet.yaml schema, and every document of another YAML file whose apiVersion is in Fleet's group against its CRD.
    /// Other files (a bundle's manifests and values) are not Fleet's to judge.
    /// </summary>
    public static IReadOnlyList<string> ValidateFile(RenderedFile file, ValidatedContentCache? cache = null)
    {
        if (cache?.Passed(file) == true) return [];
        var problems = ValidateUncached(file);
        if (problems.Count == 0) cache?.Add(file);
        return problems;
    }

    private static IReadOnlyList<string> ValidateUncached(RenderedFile file)
    {
        var isFleetYaml = Path.GetFileName(file.Path) == FleetRepoLayout.FleetYamlName;
        if (!isFleetYaml && !file.Path.EndsWith(".yaml", StringComparison.Ordinal) && !file.Path.EndsWith(".yml", StringComparison.Ordinal))
            return [];
        IReadOnlyList<JsonNode?> docs;
        try { docs = YamlJsonReader.ReadAll(file.Content); }
        catch (YamlException e) { return [$"{file.Path}:{e.Start.Line}: not valid YAML: {e.Message}"]; }
        if (isFleetYaml)
            return [.. docs.SelectMany(d => Validate(FleetYaml.Value, d)).Select(p => $"{file.Path}: {p}")];
        var problems = new List<string>();
        for (var i = 0; i < docs.Count; i++)
        {
            if (!IsFleetObject(docs[i])) continue;
            var where = docs.Count == 1 ? file.Path : $"{file.Path} (document {i + 1})";
            problems.AddRange(ValidateResource(docs[i]).Select(p => $"{where}: {p}"));
        }
        return problems;
    }

    private static bool IsFleetObject(JsonNode? doc) =>
        doc is JsonObject o && o["apiVersion"] is JsonValue v && v.TryGetValue<string>(out var apiVersion)
        && apiVersion.StartsWith(FleetApiGroup + "/", StringComparison.Ordinal);

    private static IReadOnlyList<string> Validate(JsonSchema schema, JsonNode? document)
    {
        var errors = schema.Validate(document?.ToJsonString() ?? "null");
        return [.. Flatten(errors).Select(Describe).Distinct(StringComparer.Ordinal)];
    }

    // anyOf/oneOf failures carry the reason of each branch as child errors; the leaves are what a reader can act on.
    private static IEnumerable<ValidationError> Flatten(IEnumerable<ValidationError> errors) =>
        errors.SelectMany(e => e is ChildSchemaValidationError child && child.Errors.Count > 0
            ? Flatten(child.Errors.SelectMany(c => c.Value)).DefaultIfEmpty(e)
            : [e]);

    private static string Describe(ValidationError e)
    {
        var path = "$" + (e.Path ?? "#").TrimStart('#').Replace('/', '.').Replace("..", ".", StringComparison.Ordinal);
        if (path.Length > 1 && path[1] != '.' && path[1] != '[') path = "$." + path[1..];
        var what = e.Kind switch
        {
            ValidationErrorKind.NoAdditionalPropertiesAllowed => "unknown field (Fleet would ignore it)",
            ValidationErrorKind.PropertyRequired => "required field missing",
            ValidationErrorKind.NoTypeValidates when e.Schema is { } schema =>
                $"wrong type, expected {schema.Type.ToString().ToLowerInvariant().Replace(",", " or", StringComparison.Ordinal)}",
            var kind when kind.ToString().EndsWith("Expected", StringComparison.Ordinal) =>
                $"wrong type, expected {kind.ToString()[..^"Expected".Length].ToLowerInvariant()}",
            _ => SplitWords(e.Kind.ToString()),
        };
        return $"{path}: {what}";
    }

    private static string SplitWords(string pascal) =>
        string.Concat(pascal.Select((c, i) => i > 0 && char.IsUpper(c) ? " " + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    private static string ReadResource(string name)
    {
        using var stream = typeof(FleetSchemaValidator).Assembly.GetManifestResourceStream("FleetSchema." + name)
            ?? throw new InvalidOperationException($"embedded Fleet schema '{name}' is missing from {Assembly.GetExecutingAssembly().GetName().Name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static JsonSchema LoadFleetYamlSchema()
    {
        // Fleet publishes draft 2020-12 with '$defs'; NJsonSchema resolves draft 7 'definitions', and the schema uses
        // nothing else that differs between the two drafts.
        var text = ReadResource("fleet.yaml.schema.json")
            .Replace("\"$defs\"", "\"definitions\"", StringComparison.Ordinal)
            .Replace("#/$defs/", "#/definitions/", StringComparison.Ordinal)
            .Replace("https://json-schema.org/draft/2020-12/schema", "http://json-schema.org/draft-07/schema#", StringComparison.Ordinal);
        return JsonSchema.FromJsonAsync(text).GetAwaiter().GetResult();
    }

    private static Dictionary<string, Lazy<JsonSchema>> SplitCrds()
    {
        var result = new Dictionary<string, Lazy<JsonSchema>>(StringComparer.Ordinal);
        foreach (var document in ReadResource("fleet-crds.yaml").Split("\n---\n", StringSplitOptions.RemoveEmptyEntries))
        {
            // controller-gen writes spec.names.kind at this indentation; the parse below checks the kind it finds.
            var kind = CrdKind().Match(document);
            if (!kind.Success) continue;
            result[kind.Groups[1].Value] = new Lazy<JsonSchema>(() => LoadCrdSchema(kind.Groups[1].Value, document));
        }
        return result;
    }

    private static JsonSchema LoadCrdSchema(string kind, string document)
    {
        var doc = YamlJsonReader.Read(document)!;
        if (doc["kind"]?.GetValue<string>() != "CustomResourceDefinition" || doc["spec"]!["names"]!["kind"]!.GetValue<string>() != kind)
            throw new InvalidOperationException($"embedded fleet-crds.yaml: the document of kind {kind} is not its CustomResourceDefinition");
        var version = doc["spec"]!["versions"]!.AsArray().First(v => v!["name"]!.GetValue<string>() == "v1alpha1")!;
        var openApi = CrdStructuralSchema.Convert(version["schema"]!["openAPIV3Schema"]!.AsObject());
        return JsonSchema.FromJsonAsync(openApi.ToJsonString()).GetAwaiter().GetResult();
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^  names:\n(?:    .*\n)*?    kind: (\w+)$", System.Text.RegularExpressions.RegexOptions.Multiline)]
    private static partial System.Text.RegularExpressions.Regex CrdKind();
}
