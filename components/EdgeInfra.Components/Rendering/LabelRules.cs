using System.Text.RegularExpressions;

namespace EdgeInfra.Components.Rendering;

/// <summary>Kubernetes label syntax: a store label that breaks it would make its Cluster and node unregistrable.</summary>
public static partial class LabelRules
{
    public static bool IsValidValue(string value) => value.Length <= 63 && NamePattern().IsMatch(value) || value.Length == 0;

    public static bool IsValidKey(string key)
    {
        var slash = key.IndexOf('/');
        var name = slash < 0 ? key : key[(slash + 1)..];
        if (slash >= 0 && (slash == 0 || slash > 253 || !PrefixPattern().IsMatch(key[..slash]))) return false;
        return name.Length is > 0 and <= 63 && NamePattern().IsMatch(name);
    }

    [GeneratedRegex(@"^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?\z")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\z")]
    private static partial Regex PrefixPattern();
}
