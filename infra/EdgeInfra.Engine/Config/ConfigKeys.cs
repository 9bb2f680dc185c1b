namespace EdgeInfra.Engine.Config;

/// <summary>Pulumi's <c>[namespace:]key</c> naming: a bare key belongs to the project.</summary>
public static class ConfigKeys
{
    /// <summary>Returns <paramref name="key"/> namespaced to <paramref name="project"/> unless it already has a namespace.</summary>
    public static string Qualify(string key, string project) => key.Contains(':') ? key : $"{project}:{key}";

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
