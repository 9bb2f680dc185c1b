namespace EdgeInfra.Providers.Ssh;

/// <summary>Settings of the SSH device provider for one run.</summary>
/// <param name="PrivateKey">The OpenSSH private key text (from secret config); never logged or shown.</param>
/// <param name="Concurrency">At most this many SSH operations (connects and commands) run at once across all devices.</param>
/// <param name="Retries">Further connect attempts after the first fails with a network error, with exponential backoff.</param>
/// <param name="InstallType">The resource type token of the K3s install resource.</param>
/// <param name="ServiceType">The resource type token of the K3s service (restart) resource.</param>
public sealed record SshProviderOptions(
    string PrivateKey,
    int Concurrency,
    TimeSpan ConnectTimeout,
    TimeSpan CommandTimeout,
    int Retries,
    TimeSpan RetryDelay,
    K3sInstallOptions K3s,
    string InstallType,
    string ServiceType)
{
    public const int DefaultConcurrency = 16;
}
