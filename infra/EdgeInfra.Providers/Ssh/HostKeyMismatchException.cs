using EdgeInfra.Engine.Providers;

namespace EdgeInfra.Providers.Ssh;

/// <summary>A device presented a host key other than the one pinned in config or recorded on first contact: EdgeInfra
/// refuses to talk to it (it may be an impostor, or a re-imaged box that needs its new key confirmed).</summary>
public sealed class HostKeyMismatchException(SshEndpoint endpoint, string expected, string expectedFrom, string actual)
    : ResourceUnavailableException(
        $"store '{endpoint.Store}' ({endpoint}): host key mismatch, refusing to connect: expected {expected} ({expectedFrom}), " +
        $"the device presented {actual}. If the device was re-imaged, confirm its new key and pin it in " +
        $"edge-infra:bootstrap (devices.{endpoint.Store}.hostKey)")
{
    public string Store => endpoint.Store;
    public string Expected => expected;
    public string Actual => actual;
}
