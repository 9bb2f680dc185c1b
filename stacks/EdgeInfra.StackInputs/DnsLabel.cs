namespace EdgeInfra.StackInputs;

/// <summary>RFC 1123 labels: store ids, ring and app names end up in hostnames, Kubernetes names and shell commands.</summary>
internal static class DnsLabel
{
    public static bool IsValid(string s)
    {
        if (s.Length is 0 or > 63 || s[0] == '-' || s[^1] == '-') return false;
        foreach (var c in s)
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '-')) return false;
        return true;
    }
}
