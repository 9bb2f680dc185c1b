using System.Text.Json.Nodes;
using EdgeInfra.Components.Model;
using EdgeInfra.Components.Yaml;

namespace EdgeInfra.Components.Rendering;

/// <summary>Renders a store's K3s files: <c>registries.yaml</c> from its registry zone and <c>config.yaml</c> from its labels.</summary>
public static class K3sRenderer
{
    /// <summary>Prefix for node labels: kubelets may not self-assign labels in Kubernetes' own domains.</summary>
    public const string NodeLabelPrefix = "edgeinfra.io/";

    /// <summary>
    /// <c>/etc/rancher/k3s/registries.yaml</c>: every upstream of the store's zone mirrored through the zone mirror.
    /// Marked secret when the zone has credentials. Problems (unknown zone, unreadable secret) go to <paramref name="problems"/>.
    /// </summary>
    /// <param name="resolveSecret">Returns the plaintext of a secret stack config key (<c>user:password</c>).</param>
    public static RenderedFile Registries(Store store, IReadOnlyDictionary<string, RegistryZone> zones,
        Func<string, string>? resolveSecret, List<string> problems)
    {
        var doc = new JsonObject();
        var secret = false;
        if (store.RegistryZone is { } zoneName)
        {
            if (!zones.TryGetValue(zoneName, out var zone))
            {
                problems.Add($"{store.Location}: store '{store.Id}' names unknown registry zone '{zoneName}'");
            }
            else
            {
                var mirrors = new JsonObject();
                // One mirror serving several upstreams keeps their images apart under an upstream-named prefix.
                var rewrite = zone.Upstreams.Length > 1;
                foreach (var upstream in zone.Upstreams)
                {
                    var entry = new JsonObject { ["endpoint"] = new JsonArray(zone.Mirror) };
                    if (rewrite) entry["rewrite"] = new JsonObject { ["^(.*)$"] = $"{upstream}/$1" };
                    mirrors[upstream] = entry;
                }
                doc["mirrors"] = mirrors;
                if (zone.AuthConfigKey is { } key)
                {
                    var auth = ResolveAuth(zone, key, resolveSecret, problems);
                    if (auth is not null)
                    {
                        doc["configs"] = new JsonObject { [EndpointHost(zone.Mirror)] = new JsonObject { ["auth"] = auth } };
                        secret = true;
                    }
                }
            }
        }
        return new RenderedFile(FleetRepoLayout.K3sRegistriesPath, YamlEmitter.Emit(doc), secret);
    }

    private static JsonObject? ResolveAuth(RegistryZone zone, string key, Func<string, string>? resolveSecret, List<string> problems)
    {
        if (resolveSecret is null)
        {
            problems.Add($"{zone.Location}: registry zone '{zone.Name}' needs secret '{key}' but no secrets are available");
            return null;
        }
        string value;
        try { value = resolveSecret(key); }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or ArgumentException)
        {
            problems.Add($"{zone.Location}: registry zone '{zone.Name}': cannot read secret '{key}': {e.Message}");
            return null;
        }
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            // Never echo the value: it is a credential.
            problems.Add($"{zone.Location}: registry zone '{zone.Name}': secret '{key}' must have the form user:password");
            return null;
        }
        return new JsonObject { ["username"] = value[..colon], ["password"] = value[(colon + 1)..] };
    }

    /// <summary>K3s keys registry <c>configs</c> by the endpoint's host[:port].</summary>
    internal static string EndpointHost(string mirror) =>
        Uri.TryCreate(mirror, UriKind.Absolute, out var uri) && !string.IsNullOrEmpty(uri.Host)
            ? (uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}")
            : mirror;

    /// <summary><c>/etc/rancher/k3s/config.yaml</c>: node name, the store's labels as node labels, and the packaged
    /// components to <paramref name="disable"/> (omitted when none).</summary>
    public static RenderedFile Config(Store store, IReadOnlyList<string>? disable = null)
    {
        var labels = new JsonArray();
        foreach (var (k, v) in store.Labels) labels.Add($"{NodeLabelPrefix}{k}={v}");
        var doc = new JsonObject
        {
            ["node-name"] = store.Id,
            ["write-kubeconfig-mode"] = "0600",
            ["node-label"] = labels,
        };
        if (disable is { Count: > 0 }) doc["disable"] = new JsonArray([.. disable.Select(d => (JsonNode)d)]);
        return new RenderedFile(FleetRepoLayout.K3sConfigPath, YamlEmitter.Emit(doc));
    }
}
