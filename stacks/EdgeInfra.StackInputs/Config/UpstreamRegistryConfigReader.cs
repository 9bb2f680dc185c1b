using EdgeInfra.Engine.Config;
using YamlDotNet.RepresentationModel;

namespace EdgeInfra.StackInputs.Config;

/// <summary>Reads <c>edge-infra:registries</c>: image registry host → the URL EdgeInfra pulls it from (a string), or
/// <c>{url, authKey}</c>. A host that is not listed is reached at <c>https://&lt;host&gt;</c>
/// (Docker Hub at <c>https://registry-1.docker.io</c>).</summary>
public static class UpstreamRegistryConfigReader
{
    public const string Key = FleetConfigKeys.Namespace + ":registries";

    /// <summary>Docker Hub's distribution API: image names say <c>docker.io</c>, the API is served elsewhere.</summary>
    private static readonly Uri DockerHubApi = new("https://registry-1.docker.io");

    /// <summary>Every configured upstream, by host. Throws <see cref="FleetModelException"/> listing every bad entry.</summary>
    public static IReadOnlyDictionary<string, UpstreamRegistry> Read(IStackConfig config)
    {
        var problems = new List<string>();
        var reader = new ConfigReader(problems);
        var result = new Dictionary<string, UpstreamRegistry>(StringComparer.OrdinalIgnoreCase);
        if (config.Get(Key) is { } entry)
        {
            var root = new ConfigNode(entry.Value, entry.File, Key);
            foreach (var (host, node) in reader.Entries(root))
            {
                string? url;
                string? authKey = null;
                if (node.Node is YamlMappingNode)
                {
                    var f = reader.Fields(node, "url", "authKey");
                    url = reader.String(f, "url", node, required: true);
                    authKey = reader.String(f, "authKey", node);
                    if (authKey is not null && !authKey.Contains(':', StringComparison.Ordinal)) authKey = $"{FleetConfigKeys.Namespace}:{authKey}";
                }
                else if (node.Node is YamlScalarNode s)
                {
                    url = s.Value;
                }
                else
                {
                    reader.Problem(node, "must be a URL or a mapping with url (and authKey)");
                    continue;
                }
                if (url is null) continue;
                if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                {
                    reader.Problem(node, $"registry '{host}' URL '{url}' must be an http(s) URL");
                    continue;
                }
                if (authKey is not null && config.Get(authKey) is { IsSecure: false } plain)
                    problems.Add($"{plain.File}:{plain.Line}: {authKey}: registry credentials must be set with --secret");
                result[host] = new UpstreamRegistry(host, uri, authKey);
            }
        }
        if (problems.Count > 0) throw new FleetModelException(problems);
        return result;
    }

    /// <summary>The configured upstream for an image host, or its default URL.</summary>
    public static UpstreamRegistry Resolve(IReadOnlyDictionary<string, UpstreamRegistry> configured, string host) =>
        configured.TryGetValue(host, out var found)
            ? found
            : new UpstreamRegistry(host, host == "docker.io" ? DockerHubApi : new Uri($"https://{host}"), null);
}
