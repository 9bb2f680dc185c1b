namespace EdgeInfra.Providers.FleetRepo;

/// <summary>Answers whether a fleet-repo commit a BundleDeployment is labelled with stands for a ring's revision.</summary>
public interface IRingContent
{
    /// <summary>True when a store whose BundleDeployments carry <paramref name="other"/> runs the ring's
    /// <paramref name="revision"/> or a later state of it: <paramref name="other"/> is the revision, descends from it,
    /// or holds exactly the revision's bundle dirs for the ring.</summary>
    bool IsAtOrAfter(string ring, string revision, string other);
}
