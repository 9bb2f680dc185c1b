namespace EdgeInfra.Providers.Ssh;

/// <summary>OpenSSH SHA-256 host key fingerprints as EdgeInfra writes them: <c>SHA256:</c> + unpadded base64.</summary>
public static class HostKeys
{
    public const string Prefix = "SHA256:";

    /// <summary>Adds the prefix when missing and drops base64 padding, so pins copied from <c>ssh-keygen -lf</c> or elsewhere compare equal.</summary>
    public static string Normalize(string fingerprint)
    {
        var f = fingerprint.Trim();
        if (f.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase)) f = f[Prefix.Length..];
        return Prefix + f.TrimEnd('=');
    }

    /// <summary>True for a well-formed fingerprint (43 base64 characters after the prefix).</summary>
    public static bool IsValid(string fingerprint)
    {
        var body = Normalize(fingerprint)[Prefix.Length..];
        return body.Length == 43 && body.All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '/');
    }
}
