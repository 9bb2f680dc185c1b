using System.Net.Http.Headers;

namespace EdgeInfra.Providers.Registry;

/// <summary>What a registry's 401 <c>WWW-Authenticate</c> asks for: Basic, or a Bearer token from a realm.</summary>
/// <param name="Parameters">The challenge's parameters (<c>realm</c>, <c>service</c>, <c>scope</c>), names lowercased.</param>
internal sealed record RegistryChallenge(string Scheme, IReadOnlyDictionary<string, string> Parameters)
{
    public bool IsBearer => Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase);
    public bool IsBasic => Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase);

    public string? this[string name] => Parameters.GetValueOrDefault(name);

    /// <summary>The first Bearer or Basic challenge of a response, or null when it has none.</summary>
    public static RegistryChallenge? From(HttpResponseHeaders headers)
    {
        foreach (var value in headers.WwwAuthenticate)
        {
            if (!value.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase) &&
                !value.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase)) continue;
            return new RegistryChallenge(value.Scheme, ParseParameters(value.Parameter ?? ""));
        }
        return null;
    }

    /// <summary>Parses <c>realm="…",service="…",scope="a,b"</c>: commas inside quotes belong to the value.</summary>
    internal static Dictionary<string, string> ParseParameters(string text)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && (text[i] == ',' || char.IsWhiteSpace(text[i]))) i++;
            var eq = text.IndexOf('=', i);
            if (eq < 0) break;
            var name = text[i..eq].Trim().ToLowerInvariant();
            i = eq + 1;
            string value;
            if (i < text.Length && text[i] == '"')
            {
                var end = i + 1;
                var sb = new System.Text.StringBuilder();
                while (end < text.Length && text[end] != '"')
                {
                    if (text[end] == '\\' && end + 1 < text.Length) end++;
                    sb.Append(text[end++]);
                }
                value = sb.ToString();
                i = end + 1;
            }
            else
            {
                var end = text.IndexOf(',', i);
                if (end < 0) end = text.Length;
                value = text[i..end].Trim();
                i = end;
            }
            result[name] = value;
        }
        return result;
    }
}
