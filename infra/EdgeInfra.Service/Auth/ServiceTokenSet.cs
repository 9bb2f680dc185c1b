using System.Security.Cryptography;
using System.Text;
using EdgeInfra.StackInputs.Config;

namespace EdgeInfra.Service.Auth;

/// <summary>The bearer tokens the service accepts, matched in constant time.</summary>
internal sealed class ServiceTokenSet(IReadOnlyList<ServiceTokenSpec> tokens)
{
    public bool IsEmpty => tokens.Count == 0;

    /// <summary>The token a caller presented, or null. Every known token is compared (no early exit), each over
    /// SHA-256 digests of equal length, so neither a prefix nor the length of a real token leaks through timing.</summary>
    public ServiceTokenSpec? Find(string presented)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), digest);
        ServiceTokenSpec? match = null;
        foreach (var token in tokens)
            if (CryptographicOperations.FixedTimeEquals(digest, token.Sha256)) match = token;
        return match;
    }
}
