using EdgeInfra.Rollout.Policy;

namespace EdgeInfra.Rollout.Rollback;

/// <summary>Which recorded version of a ring a rollback returns to.</summary>
public static class LastKnownGood
{
    /// <summary>A version a ring can return to when <paramref name="bad"/> fails: a successful update that applied a
    /// release other than the bad one and holds no held item.</summary>
    public static bool Accepts(RingVersion version, ReleaseSet bad, IReadOnlySet<string> held) =>
        version.Succeeded
        && version.Releases.Versions.Count > 0
        && !version.Releases.Equals(bad)
        && !version.Releases.Items.Any(held.Contains);

    /// <summary>The version the ring is on now: its newest successful update.</summary>
    public static bool IsCurrent(RingVersion version) => version.Succeeded && version.Releases.Versions.Count > 0;
}
