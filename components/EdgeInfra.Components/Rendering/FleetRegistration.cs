using System.Text.Json.Nodes;
using EdgeInfra.Components.Yaml;

namespace EdgeInfra.Components.Rendering;

/// <summary>What a store's Fleet agent needs to register with the hub, from the hub's registration-token secret.</summary>
/// <remarks>Fleet writes these as <c>values.yaml</c> in the Secret of a ClusterRegistrationToken (keys apiServerURL,
/// apiServerCA, token, clusterNamespace, systemRegistrationNamespace). The token is a credential: never show it.</remarks>
public sealed record FleetRegistration(string ApiServerUrl, string ApiServerCa, string Token, string? ClusterNamespace,
    string? SystemRegistrationNamespace)
{
    /// <summary>Parses the values YAML; problems name the config key and the field, never a value.</summary>
    public static FleetRegistration? Parse(string yaml, string configKey, List<string> problems)
    {
        JsonObject? values;
        try { values = YamlJsonReader.Read(yaml) as JsonObject; }
        catch (Exception e) when (e is YamlDotNet.Core.YamlException or FormatException or InvalidOperationException) { values = null; }
        if (values is null)
        {
            problems.Add($"edge-infra:bootstrap fleetAgent: secret '{configKey}' must hold the registration values YAML " +
                         "(kubectl -n <ns> get secret <token> -o jsonpath={.data.values} | base64 -d)");
            return null;
        }
        string? Field(string name, bool required)
        {
            var v = values[name] is JsonValue j && j.TryGetValue<string>(out var s) && s.Length > 0 ? s : null;
            if (v is null && required) problems.Add($"edge-infra:bootstrap fleetAgent: secret '{configKey}' has no '{name}'");
            return v;
        }
        var url = Field("apiServerURL", true);
        var token = Field("token", true);
        var ca = Field("apiServerCA", false) ?? "";
        if (url is not null && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme == "https"))
            problems.Add($"edge-infra:bootstrap fleetAgent: secret '{configKey}': apiServerURL must be an https URL");
        return url is null || token is null ? null
            : new FleetRegistration(url, ca, token, Field("clusterNamespace", false), Field("systemRegistrationNamespace", false));
    }

    /// <summary>Never prints the token.</summary>
    public override string ToString() => $"FleetRegistration {{ ApiServerUrl = {ApiServerUrl}, Token = [secret] }}";
}
