using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace EdgeInfra.Providers.Registry;

/// <summary>OCI content digests: <c>sha256:</c> and 64 lowercase hex digits over the exact bytes.</summary>
public static partial class Digests
{
    public static string Sha256(ReadOnlySpan<byte> content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));

    public static bool IsDigest(string? text) => text is not null && Sha256Pattern().IsMatch(text);

    [GeneratedRegex("^sha256:[a-f0-9]{64}$")]
    private static partial Regex Sha256Pattern();
}
