using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text.Json;

namespace EdgeInfra.Providers.Registry;

/// <summary>The authorization one registry asked for: Basic with the configured credentials, or Bearer tokens fetched
/// from the challenge's realm per scope (the distribution token flow), cached until the next 401.</summary>
internal sealed class RegistryTokens(HttpClient http, RegistryEndpoint endpoint)
{
    private readonly ConcurrentDictionary<string, AuthenticationHeaderValue> _bearer = new(StringComparer.Ordinal);
    private volatile AuthenticationHeaderValue? _basic;

    /// <summary>The header to send for a scope, or null before the registry asked for one.</summary>
    public AuthenticationHeaderValue? Authorization(string? scope) =>
        _basic ?? (_bearer.TryGetValue(scope ?? "", out var token) ? token : null);

    public async Task LoginAsync(RegistryChallenge challenge, string? scope, CancellationToken ct)
    {
        var credentials = endpoint.Credentials;
        if (challenge.IsBasic)
        {
            _basic = credentials is null
                ? throw new RegistryException(RegistryFailure.Unauthorized, $"{endpoint}: asks for credentials and none are configured")
                : new AuthenticationHeaderValue("Basic", credentials.BasicToken);
            return;
        }
        if (challenge["realm"] is not { } realm || !Uri.TryCreate(realm, UriKind.Absolute, out var realmUri))
            throw new RegistryException(RegistryFailure.Unauthorized, $"{endpoint}: Bearer challenge without a usable realm");

        var query = new List<string>();
        if (challenge["service"] is { } service) query.Add("service=" + Uri.EscapeDataString(service));
        var scopes = (challenge["scope"] ?? scope ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        query.AddRange(scopes.Select(s => "scope=" + Uri.EscapeDataString(s)));
        var url = new UriBuilder(realmUri) { Query = string.Join('&', query) }.Uri;
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (credentials is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Basic", credentials.BasicToken);
        using var response = await http.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
            throw new RegistryException(RegistryFailure.Unauthorized,
                $"{endpoint}: token service {realmUri.GetLeftPart(UriPartial.Path)} answered {(int)response.StatusCode}" +
                (credentials is null ? " (no credentials are configured)" : $" for user '{credentials.User}'"))
            { Transient = (int)response.StatusCode >= 500 };
        string? token;
        try
        {
            using var doc = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync(ct));
            token = doc.RootElement.TryGetProperty("token", out var t) ? t.GetString()
                : doc.RootElement.TryGetProperty("access_token", out var a) ? a.GetString() : null;
        }
        catch (JsonException)
        {
            token = null;
        }
        if (string.IsNullOrEmpty(token))
            throw new RegistryException(RegistryFailure.Unauthorized, $"{endpoint}: token service answered without a token");
        _bearer[scope ?? ""] = new AuthenticationHeaderValue("Bearer", token);
    }
}
