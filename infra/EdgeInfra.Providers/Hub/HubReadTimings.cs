namespace EdgeInfra.Providers.Hub;

/// <summary>What a <see cref="FleetHubClient"/> has read so far: list pages, body bytes (as announced by the hub), and
/// the time summed over pages spent waiting for the hub's answer (request to response headers) and reading and parsing
/// the body.</summary>
/// <remarks>Pages of the different lists are read concurrently, so the sums can exceed the wall time of a read.</remarks>
public sealed record HubReadTimings(long Pages, long Bytes, TimeSpan Answer, TimeSpan Body)
{
    public HubReadTimings Since(HubReadTimings earlier) =>
        new(Pages - earlier.Pages, Bytes - earlier.Bytes, Answer - earlier.Answer, Body - earlier.Body);
}
