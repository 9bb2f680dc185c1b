using EdgeInfra.Components.Model;
using EdgeInfra.Components.Rendering;

namespace EdgeInfra.Components.Resources;

/// <summary>The Fleet agent settings of a ring with the hub's registration values read from secret config.</summary>
internal sealed record FleetAgentContext(FleetAgentBootstrap Agent, FleetRegistration Registration, FleetSettings Settings)
{
    public static FleetAgentContext? Read(FleetAgentBootstrap agent, FleetSettings settings, Func<string, string>? resolveSecret,
        List<string> problems)
    {
        var key = agent.RegistrationConfigKey;
        var howToSet = $"set it with: edgeinfra config set --secret {key} \"$(cat values.yaml)\"";
        if (resolveSecret is null)
        {
            problems.Add($"edge-infra:bootstrap fleetAgent needs secret '{key}' but no secrets are available ({howToSet})");
            return null;
        }
        string values;
        try { values = resolveSecret(key); }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or ArgumentException)
        {
            problems.Add($"edge-infra:bootstrap fleetAgent: cannot read secret '{key}' ({howToSet}): {e.Message}");
            return null;
        }
        var registration = FleetRegistration.Parse(values, key, problems);
        return registration is null ? null : new FleetAgentContext(agent, registration, settings);
    }
}
