namespace EdgeInfra.Providers.Registry;

/// <summary>Why a registry request did not succeed.</summary>
public enum RegistryFailure
{
    /// <summary>No connection, a timeout, or 5xx/429 after every retry.</summary>
    Unreachable,

    /// <summary>401/403: credentials missing, wrong, or without the right to this repository.</summary>
    Unauthorized,

    /// <summary>The manifest or blob does not exist where it was expected.</summary>
    NotFound,

    /// <summary>Content whose sha256 is not the digest it was named by.</summary>
    DigestMismatch,

    /// <summary>Any other answer the distribution API does not allow here.</summary>
    Protocol,
}

/// <summary>A registry request that failed, naming the registry and what was asked; never the credentials.</summary>
public sealed class RegistryException(RegistryFailure failure, string message, Exception? inner = null) : Exception(message, inner)
{
    public RegistryFailure Failure { get; } = failure;

    /// <summary>Worth another attempt: a 5xx, a 429, a dropped connection.</summary>
    internal bool Transient { get; init; }
}
