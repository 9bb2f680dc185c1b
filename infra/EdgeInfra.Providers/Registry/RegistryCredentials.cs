namespace EdgeInfra.Providers.Registry;

/// <summary>A registry user name and password, from a secret config value of the form <c>user:password</c>.</summary>
/// <remarks>Never printed: <see cref="ToString"/> shows the user only.</remarks>
public sealed class RegistryCredentials
{
    public RegistryCredentials(string user, string password)
    {
        User = user;
        Password = password;
    }

    public string User { get; }
    public string Password { get; }

    /// <summary>Splits <c>user:password</c> at the first colon; null when the value has no user part.</summary>
    public static RegistryCredentials? TryParse(string value)
    {
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        return colon <= 0 ? null : new RegistryCredentials(value[..colon], value[(colon + 1)..]);
    }

    public string BasicToken => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{User}:{Password}"));

    public override string ToString() => $"{User}:***";
}
