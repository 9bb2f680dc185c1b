using System.Security.Claims;
using System.Text.Encodings.Web;
using EdgeInfra.StackInputs.Config;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeInfra.Service.Auth;

/// <summary>Authenticates <c>Authorization: Bearer …</c> against the stack's service tokens.</summary>
/// <remarks>With no token configured the service listens on loopback only (the host refuses otherwise), and every
/// local caller acts as the operator <see cref="LoopbackActor"/>: one engineer's machine, as the CLI is.</remarks>
internal sealed class BearerTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ServiceTokenSet tokens)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";
    public const string LoopbackActor = "loopback";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (tokens.IsEmpty) return Task.FromResult(Success(LoopbackActor, ServiceRole.Operator));
        string? header = Request.Headers.Authorization;
        if (header is null || !header.StartsWith(SchemeName + " ", StringComparison.OrdinalIgnoreCase))
            return Task.FromResult(AuthenticateResult.NoResult());
        var token = tokens.Find(header[(SchemeName.Length + 1)..].Trim());
        return Task.FromResult(token is null ? AuthenticateResult.Fail("unknown bearer token") : Success(token.Name, token.Role));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = SchemeName;
        return Task.CompletedTask;
    }

    private AuthenticateResult Success(string name, ServiceRole role)
    {
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, ServicePolicies.ClaimValue(role))], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }
}
