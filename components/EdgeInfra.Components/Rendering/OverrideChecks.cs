using EdgeInfra.Components.Model;

namespace EdgeInfra.Components.Rendering;

/// <summary>Checks that overrides can be applied: not expired, scoped correctly, naming a known app.</summary>
public static class OverrideChecks
{
    /// <summary>Every problem with the model's overrides on <paramref name="today"/>; empty when all is well.</summary>
    /// <remarks>An override is valid through its expiry date and expired from the day after.</remarks>
    /// <param name="app">Only check this app's overrides; null checks all.</param>
    public static IReadOnlyList<string> Problems(FleetModel model, DateOnly today, string? app = null)
    {
        var apps = model.Apps.Select(a => a.Name).ToHashSet(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var o in model.Overrides.Where(o => app is null || o.App == app))
        {
            if (o.Expires is { } expires && today > expires)
                problems.Add($"{o.Location}: override '{o.Name}' (owner {o.Owner}) for app '{o.App}' expired on {expires:yyyy-MM-dd}; renew or remove it");
            if (!apps.Contains(o.App))
                problems.Add($"{o.Location}: override '{o.Name}' (owner {o.Owner}) names unknown app '{o.App}'");
            if (o.Scope == OverrideScope.Baseline && o.Match is not null)
                problems.Add($"{o.Location}: baseline override '{o.Name}' (owner {o.Owner}) must not have a match");
            if (o.Scope != OverrideScope.Baseline && string.IsNullOrEmpty(o.Match))
                problems.Add($"{o.Location}: {o.Scope.ToString().ToLowerInvariant()} override '{o.Name}' (owner {o.Owner}) needs a match");
        }
        return problems;
    }
}
