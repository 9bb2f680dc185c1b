namespace EdgeInfra.StackInputs.Config;

/// <summary>The automation service's settings of a stack: who may call it, with which role.</summary>
/// <param name="Tokens">The bearer tokens, each known only by its SHA-256 (the plaintext is not kept).</param>
public sealed record ServiceSettings(IReadOnlyList<ServiceTokenSpec> Tokens)
{
    public static readonly ServiceSettings None = new([]);
}

/// <summary>What a bearer token may do: read, or read and act.</summary>
public enum ServiceRole
{
    Viewer,
    Operator,
}

/// <summary>One named bearer token of the service, held as the SHA-256 of its value.</summary>
/// <param name="Name">Who holds it (recorded as the actor of what it does).</param>
/// <param name="Sha256">The token's SHA-256: compared in constant time, so a caller learns nothing from timing.</param>
public sealed record ServiceTokenSpec(string Name, ServiceRole Role, byte[] Sha256);
