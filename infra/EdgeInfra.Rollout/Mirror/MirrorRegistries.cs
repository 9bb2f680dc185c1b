using EdgeInfra.Components.Model;
using EdgeInfra.Providers.Registry;

namespace EdgeInfra.Rollout.Mirror;

/// <summary>How mirror warm, mirror status and the mirror gate reach registries: the upstream of an image host and
/// the mirror of a registry zone, each with its credentials, over one shared client pool.</summary>
/// <param name="upstream">Image host → its upstream endpoint (configured URL or https://host).</param>
/// <param name="mirror">Zone → its mirror endpoint with the zone's credentials.</param>
public sealed class MirrorRegistries(RegistryClientPool pool, Func<string, RegistryEndpoint> upstream, Func<RegistryZone, RegistryEndpoint> mirror)
{
    public RegistryClientPool Pool => pool;

    public RegistryClient Upstream(string host) => pool.For(upstream(host));

    public RegistryClient Mirror(RegistryZone zone) => pool.For(mirror(zone));
}
