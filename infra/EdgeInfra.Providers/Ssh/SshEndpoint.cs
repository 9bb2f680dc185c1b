namespace EdgeInfra.Providers.Ssh;

/// <summary>How to reach one store's device: address, port, login user, and the host key pinned for it (if any).</summary>
/// <param name="PinnedHostKey">An OpenSSH SHA-256 fingerprint (<c>SHA256:…</c>) from config; null means trust on first use.</param>
public sealed record SshEndpoint(string Store, string Host, int Port, string User, string? PinnedHostKey)
{
    public override string ToString() => $"{User}@{Host}:{Port}";
}
