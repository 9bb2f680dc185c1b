namespace EdgeInfra.Automation.Releases;

/// <summary>How a verb pins each app image of the release to a manifest digest before rendering.</summary>
public enum ImagePinning
{
    /// <summary>Resolve each <c>image:version</c> in its upstream registry now (the lab's simulated registry answers for
    /// image hosts a lab stack does not configure in <c>edge-infra:registries</c>). An unreachable registry fails the verb.</summary>
    Resolve,

    /// <summary><c>--offline</c>: use the digests recorded in state; a release whose digest no ring recorded is refused.</summary>
    Offline,

    /// <summary>Use the digests recorded in state where there are any and leave the rest unpinned: verbs that re-render
    /// what was applied (catch-up releases, rollbacks, reads) and never reach a registry.</summary>
    Recorded,
}
