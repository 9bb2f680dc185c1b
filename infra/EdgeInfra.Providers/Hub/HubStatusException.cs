using System.Net;

namespace EdgeInfra.Providers.Hub;

/// <summary>The hub answered a list request with an HTTP error; carries the code and the (Kubernetes Status) body so
/// the retry policy can tell transient answers apart and the final message can quote the server.</summary>
internal sealed class HubStatusException(HttpStatusCode code, string body)
    : Exception($"the hub answered HTTP {(int)code}")
{
    public HttpStatusCode Code { get; } = code;

    public string Body { get; } = body;
}
