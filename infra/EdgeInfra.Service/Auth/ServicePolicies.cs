using EdgeInfra.StackInputs.Config;

namespace EdgeInfra.Service.Auth;

/// <summary>The service's two authorization policies: read (any token) and act (operator tokens).</summary>
internal static class ServicePolicies
{
    public const string Viewer = "viewer";
    public const string Operator = "operator";

    /// <summary>The role claim's value for a role.</summary>
    public static string ClaimValue(ServiceRole role) => role == ServiceRole.Operator ? Operator : Viewer;
}
