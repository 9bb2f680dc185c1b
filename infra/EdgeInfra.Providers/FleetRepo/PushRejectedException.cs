namespace EdgeInfra.Providers.FleetRepo;

/// <summary>A push lost a race with another writer (non-fast-forward); the retry pipeline rebases and tries again.</summary>
internal sealed class PushRejectedException(string reason) : Exception(reason);
