using EdgeInfra.Components.Model;
using EdgeInfra.Engine;
using EdgeInfra.Engine.Config;
using EdgeInfra.Providers.Registry;
using EdgeInfra.Rollout.Mirror;
using EdgeInfra.StackInputs.Config;

namespace EdgeInfra.Automation;

/// <summary>Builds the registry access of mirror warm, mirror status and the mirror gate from a stack's config: each
/// image host's upstream (<c>edge-infra:registries</c>, default https://host) and each zone's mirror, with credentials
/// read from secret config up front, so a missing passphrase or a malformed secret stops the verb before any request.</summary>
internal static class MirrorAccess
{
    /// <param name="zones">The zones that will be reached (their credentials are read); null for every zone.</param>
    public static MirrorRegistries Open(IStackConfig config, FleetModel model, RegistryClientPool pool, IEnumerable<RegistryZone>? zones = null)
    {
        var credentials = new CredentialReader(config);
        // Only the zones a verb reaches: a ring whose stores never use a zone must not need that zone's secret.
        var mirrors = (zones ?? model.Zones).DistinctBy(z => z.Name).ToDictionary(z => z.Name,
            z => new RegistryEndpoint($"zone {z.Name} mirror", new Uri(z.Mirror), credentials.Read(z.AuthConfigKey)), StringComparer.Ordinal);
        var hosts = Endpoints(config, ImageHosts(model), credentials);
        credentials.ThrowProblems();
        return new MirrorRegistries(pool,
            host => hosts.TryGetValue(host, out var e) ? e : throw new InvalidOperationException($"no upstream endpoint for image host '{host}'"),
            zone => mirrors.TryGetValue(zone.Name, out var e) ? e : throw new InvalidOperationException($"zone '{zone.Name}' was not opened"));
    }

    /// <summary>The upstream endpoint of each image host (configured URL and credentials, or https://host).</summary>
    /// <exception cref="InputException">A credential secret cannot be read or is malformed.</exception>
    public static IReadOnlyDictionary<string, RegistryEndpoint> Upstreams(IStackConfig config, IEnumerable<string> hosts)
    {
        var credentials = new CredentialReader(config);
        var endpoints = Endpoints(config, hosts, credentials);
        credentials.ThrowProblems();
        return endpoints;
    }

    /// <summary>The registry hosts of the model's app images.</summary>
    public static IEnumerable<string> ImageHosts(FleetModel model) => model.Apps.Where(a => a.Image is not null)
        .Select(a => { try { return ImageReference.Parse(a.Image!).Host; } catch (FormatException) { return null; } })
        .OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase);

    private static Dictionary<string, RegistryEndpoint> Endpoints(IStackConfig config, IEnumerable<string> hosts, CredentialReader credentials)
    {
        var upstreams = UpstreamRegistryConfigReader.Read(config);
        return hosts.Distinct(StringComparer.OrdinalIgnoreCase).ToDictionary(h => h, h =>
        {
            var u = UpstreamRegistryConfigReader.Resolve(upstreams, h);
            return new RegistryEndpoint($"upstream {h}", u.Url, credentials.Read(u.AuthConfigKey));
        }, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Reads <c>user:password</c> secrets once each, collecting every problem (never echoing a value).</summary>
    private sealed class CredentialReader(IStackConfig config)
    {
        private readonly List<string> _problems = [];
        private readonly Dictionary<string, RegistryCredentials?> _read = new(StringComparer.Ordinal);

        public RegistryCredentials? Read(string? key)
        {
            if (key is null) return null;
            if (_read.TryGetValue(key, out var known)) return known;
            RegistryCredentials? parsed = null;
            try
            {
                parsed = RegistryCredentials.TryParse(config.GetSecret(key));
                // Never echo the value: it is a credential.
                if (parsed is null) _problems.Add($"secret '{key}' must have the form user:password");
            }
            catch (ConfigException e)
            {
                _problems.Add($"cannot read registry credentials '{key}': {e.Message}");
            }
            return _read[key] = parsed;
        }

        public void ThrowProblems()
        {
            if (_problems.Count > 0) throw new InputException(_problems);
        }
    }
}
