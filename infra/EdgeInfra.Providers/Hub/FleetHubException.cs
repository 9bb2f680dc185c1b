namespace EdgeInfra.Providers.Hub;

/// <summary>The Fleet hub could not be read: unreachable, unauthorised, timed out or answered something unusable.
/// The message names the request and says why, without credentials.</summary>
public sealed class FleetHubException(string message, Exception? inner = null) : Exception(message, inner);
