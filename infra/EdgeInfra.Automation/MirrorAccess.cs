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
        var upstreams = UpstreamRegistryConfigReader.Read(config);
        var problems = new List<string>();
        var credentials = new Dictionary<string, RegistryCredentials?>(StringComparer.Ordinal);
        RegistryCredentials? Credentials(string? key)
        {
            if (key is null) return null;
            if (credentials.TryGetValue(key, out var known)) return known;
            RegistryCredentials? parsed = null;
            try
            {
                parsed = RegistryCredentials.TryParse(config.GetSecret(key));
                // Never echo the value: it is a credential.
                if (parsed is null) problems.Add($"secret '{key}' must have the form user:password");
            }
            catch (ConfigException e)
            {
                problems.Add($"cannot read registry credentials '{key}': {e.Message}");
            }
            return credentials[key] = parsed;
        }

        // Only the zones a verb reaches: a ring whose stores never use a zone must not need that zone's secret.
        var mirrors = (zones ?? model.Zones).DistinctBy(z => z.Name).ToDictionary(z => z.Name,
            z => new RegistryEndpoint($"zone {z.Name} mirror", new Uri(z.Mirror), Credentials(z.AuthConfigKey)), StringComparer.Ordinal);
        var hosts = model.Apps.Where(a => a.Image is not null)
            .Select(a => { try { return ImageReference.Parse(a.Image!).Host; } catch (FormatException) { return null; } })
            .OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase)
            .ToDictionary(h => h, h =>
            {
                var u = UpstreamRegistryConfigReader.Resolve(upstreams, h);
                return new RegistryEndpoint($"upstream {h}", u.Url, Credentials(u.AuthConfigKey));
            }, StringComparer.OrdinalIgnoreCase);
        if (problems.Count > 0) throw new InputException(problems);
        return new MirrorRegistries(pool,
            host => hosts.TryGetValue(host, out var e) ? e : throw new InvalidOperationException($"no upstream endpoint for image host '{host}'"),
            zone => mirrors.TryGetValue(zone.Name, out var e) ? e : throw new InvalidOperationException($"zone '{zone.Name}' was not opened"));
    }
}
