using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using EdgeInfra.Lab.Simulator;

namespace EdgeInfra.Lab.Hub;

/// <summary>What an object's JSON is written from: its own resource version and, for an object whose status is made from
/// others (a Cluster's and a GitRepo's BundleDeployments), the newest of their versions, their count, and a time the
/// simulator computes rather than writes (an agent's check-in, a GitRepo's poll).</summary>
internal readonly record struct RenderedVersion(long Own, long Newest = 0, long Count = 0, long Time = 0);

/// <summary>The versions and identities the lab hub serves its objects with: what each object's JSON is made of, the
/// resourceVersion made of that, and the uid.</summary>
internal static class ServedVersions
{
    /// <summary>What a Cluster's JSON is made of: the Cluster, the BundleDeployments in its namespace (its status
    /// summary) and its agent's last check-in.</summary>
    public static RenderedVersion Cluster(SimCluster c, DateTimeOffset? lastSeen, List<SimBundleDeployment> deployments) =>
        new(c.ResourceVersion, Newest(deployments), deployments.Count, lastSeen?.ToUnixTimeSeconds() ?? 0);

    /// <summary>A Cluster's (or a GitRepo's) resourceVersion as the hub serves it: it moves whenever anything its JSON
    /// shows moves.</summary>
    /// <remarks>The simulator bumps a Cluster's own version when it writes the Cluster, but the agent's check-in (every
    /// store, every interval) is computed, not written, and the status summary is made from the BundleDeployments in its
    /// namespace. A real hub writes both, each write a new resourceVersion, and clients (the hub client's reuse of
    /// unchanged objects, as any informer's) rely on that; so the served version is made of all of
    /// <see cref="Cluster"/>. Opaque, as Kubernetes' are.</remarks>
    public static string ResourceVersion(RenderedVersion v) =>
        string.Create(CultureInfo.InvariantCulture, $"{v.Own}.{v.Newest}.{v.Count}.{v.Time}");

    private static long Newest(List<SimBundleDeployment> deployments)
    {
        long newest = 0;
        foreach (var bd in deployments) newest = Math.Max(newest, bd.ResourceVersion);
        return newest;
    }

    /// <summary>What a GitRepo's JSON is made of: the GitRepo, its bundles (their errors) and their BundleDeployments
    /// (its status sums them up), and its last poll. Its served resourceVersion is made of it, as a Cluster's.</summary>
    public static RenderedVersion GitRepo(SimGitRepo r, List<SimBundle> bundles, List<SimBundleDeployment> deployments)
    {
        long newestBundle = 0, errors = 0;
        foreach (var b in bundles)
        {
            newestBundle = Math.Max(newestBundle, b.ResourceVersion);
            if (b.Error is not null) errors++;
        }
        return new RenderedVersion(r.ResourceVersion, Math.Max(Newest(deployments), newestBundle),
            deployments.Count + ((long)bundles.Count << 32) + (errors << 48), r.LastPolled?.UtcTicks ?? 0);
    }

    /// <summary>A GitRepo's bundles.</summary>
    public static List<SimBundle> BundlesOf(FleetSimulation sim, SimGitRepo r) =>
        [.. sim.State.Bundles.Values.Where(b => b.GitRepo == r.Name && b.Namespace == r.Namespace)];

    /// <summary>The object's uid: a hash of kind, namespace, name and creation, stable across answers.</summary>
    public static string Uid(string kind, string ns, string name, DateTimeOffset created)
    {
        var source = $"{kind}/{ns}/{name}/{created.UtcTicks}";
        Span<byte> utf8 = source.Length <= 256 ? stackalloc byte[Encoding.UTF8.GetMaxByteCount(source.Length)] : new byte[Encoding.UTF8.GetMaxByteCount(source.Length)];
        var length = Encoding.UTF8.GetBytes(source, utf8);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(utf8[..length], hash);
        return new Guid(hash[..16]).ToString();
    }
}
