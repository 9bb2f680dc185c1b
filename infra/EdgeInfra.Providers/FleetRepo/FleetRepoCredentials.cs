namespace EdgeInfra.Providers.FleetRepo;

/// <summary>The secret a fleet repo push or fetch authenticates with: a username and password, or an access token.</summary>
/// <remarks>
/// A class rather than a record so that no generated <c>ToString</c> or equality ever prints the secret. The values come
/// from secret stack config; the provider hands them to libgit2 only through its credentials callback and scrubs them
/// from every message it produces.
/// </remarks>
public sealed class FleetRepoCredentials
{
    /// <summary>The username Git hosts expect with a bare access token (GitHub's convention; GitLab accepts any).</summary>
    public const string TokenUsername = "x-access-token";

    public FleetRepoCredentials(string username, string password)
    {
        ArgumentNullException.ThrowIfNull(username);
        ArgumentNullException.ThrowIfNull(password);
        Username = username;
        Password = password;
    }

    public string Username { get; }

    public string Password { get; }

    /// <summary>Credentials for a token: sent as the password under <paramref name="username"/>.</summary>
    public static FleetRepoCredentials FromToken(string token, string username = TokenUsername) => new(username, token);

    public override string ToString() => $"{nameof(FleetRepoCredentials)}(***)";
}
