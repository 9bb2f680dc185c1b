using Renci.SshNet;

namespace EdgeInfra.Providers.Ssh;

/// <summary>The order in which the provider offers SSH key exchange methods: post-quantum ML-KEM hybrid first,
/// then X25519, then the sntrup761 hybrid, then whatever else SSH.NET offers, in its order.</summary>
/// <remarks>
/// SSH.NET prefers <c>sntrup761x25519-sha512</c> right after ML-KEM, and OpenSSH 9.0–9.8 (Debian 12, Ubuntu 24.04: most
/// store devices today) picks it. Its managed implementation costs ~100 ms of client CPU per connection (key generation;
/// ML-KEM-768 ~2–5 ms, X25519 ~1 ms, measured on the 2-core box, see docs/benchmarks.md), which made key exchange the
/// largest single cost of bootstrapping or refreshing many stores. So against OpenSSH 9.9+ the key exchange stays
/// post-quantum (ML-KEM hybrid), and against 9.0–9.8 it is X25519 (what OpenSSH itself used before 9.0).
/// </remarks>
internal static class KeyExchangeOrder
{
    public static readonly IReadOnlyList<string> Preferred =
    [
        "mlkem768x25519-sha256",
        "curve25519-sha256",
        "curve25519-sha256@libssh.org",
        "sntrup761x25519-sha512",
        "sntrup761x25519-sha512@openssh.com",
    ];

    /// <summary>Re-orders <paramref name="info"/>'s key exchange methods (the client's list is sent in their enumeration order).</summary>
    public static void Apply(ConnectionInfo info)
    {
        var offered = info.KeyExchangeAlgorithms.ToList();
        var rank = Preferred.Select((name, i) => (name, i)).ToDictionary(x => x.name, x => x.i, StringComparer.Ordinal);
        info.KeyExchangeAlgorithms.Clear();
        foreach (var (name, factory) in offered.Select((kv, i) => (kv, i))
                     .OrderBy(x => rank.TryGetValue(x.kv.Key, out var r) ? r : Preferred.Count + x.i)
                     .Select(x => (x.kv.Key, x.kv.Value)))
            info.KeyExchangeAlgorithms.Add(name, factory);
    }
}
