using EdgeInfra.Engine.Providers;

namespace EdgeInfra.Providers.Ssh;

/// <summary>A store's device could not be reached over SSH after the allowed retries; other stores carry on.</summary>
public sealed class DeviceUnreachableException(SshEndpoint endpoint, string reason, Exception? inner = null)
    : ResourceUnavailableException($"store '{endpoint.Store}' is unreachable ({endpoint}): {reason}", inner)
{
    public string Store => endpoint.Store;
}
