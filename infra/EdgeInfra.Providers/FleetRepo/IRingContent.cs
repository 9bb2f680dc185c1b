namespace EdgeInfra.Providers.FleetRepo;

/// <summary>Compares a ring's bundle dirs between two fleet-repo commits.</summary>
public interface IRingContent
{
    /// <summary>True when <paramref name="other"/> holds exactly the ring's bundle dirs of <paramref name="revision"/>.</summary>
    bool SameRingContent(string ring, string revision, string other);
}
