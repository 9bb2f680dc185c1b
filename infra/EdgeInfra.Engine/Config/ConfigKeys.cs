namespace EdgeInfra.Engine.Config;

/// <summary>Pulumi's <c>[namespace:]key</c> naming: a bare key belongs to the project.</summary>
public static class ConfigKeys
{
    /// <summary>Returns <paramref name="key"/> namespaced to <paramref name="project"/> unless it already has a namespace.</summary>
    public static string Qualify(string key, string project) => key.Contains(':') ? key : $"{project}:{key}";

    /// <summary>Qualifies a key as Pulumi's <c>config.ParseKey</c> accepts it (<c>ns:name</c>, or the legacy
    /// <c>ns:config:name</c>, which becomes <c>ns:name</c>); null when it cannot be a configuration key.</summary>
    public static string? TryParse(string key, string project)
    {
        var qualified = Qualify(key, project);
        var parts = qualified.Split(':');
        if (parts.Length == 3 && parts[1] == "config") parts = [parts[0], parts[2]];
        return parts.Length == 2 && parts[0].Length > 0 && parts[1].Length > 0 ? $"{parts[0]}:{parts[1]}" : null;
    }

    /// <summary>The error for a key <see cref="TryParse"/> rejects, in Pulumi's words.</summary>
    public static string Invalid(string key) =>
        $"could not parse {key} as a configuration key (configuration keys should be of the form `<namespace>:<name>`)";

    /// <summary>True when a key (bare or namespaced) belongs to the project namespace.</summary>
    public static bool IsInNamespace(string key, string project) =>
        !key.Contains(':') || key.StartsWith(project + ":", StringComparison.Ordinal);

    /// <summary>The part after the namespace (<c>edge-infra:rings</c> → <c>rings</c>).</summary>
    public static string Name(string key)
    {
        var i = key.IndexOf(':');
        return i < 0 ? key : key[(i + 1)..];
    }
}
