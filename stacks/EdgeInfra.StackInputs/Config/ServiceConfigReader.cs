using System.Security.Cryptography;
using System.Text;
using EdgeInfra.Components.Rendering;
using EdgeInfra.Engine.Config;

namespace EdgeInfra.StackInputs.Config;

/// <summary>Reads <c>edge-infra:service</c>: the service's bearer tokens (name → role and secret token).</summary>
/// <remarks>
/// A token must be a stack secret (<c>config set --secret --path service.tokens.NAME.token …</c>): a plaintext token in
/// a stack file is refused rather than used, since the stack file lives in Git. Tokens shorter than
/// <see cref="MinTokenLength"/> are refused too: a guessable token guards nothing.
/// </remarks>
public static class ServiceConfigReader
{
    public const string Key = FleetConfigKeys.Namespace + ":service";

    /// <summary>128 bits of base64 or hex text is at least 22 characters; ask for a little more.</summary>
    public const int MinTokenLength = 24;

    /// <summary>Reads and checks the stack's service config; throws <see cref="FleetModelException"/> listing every problem.</summary>
    public static ServiceSettings Load(IStackConfig config)
    {
        var problems = new List<string>();
        var settings = Read(config.Get(Key), config, new ConfigReader(problems));
        if (problems.Count > 0) throw new FleetModelException(problems);
        return settings;
    }

    internal static ServiceSettings Read(ConfigEntry? entry, IStackConfig config, ConfigReader reader)
    {
        if (entry is null) return ServiceSettings.None;
        var root = new ConfigNode(entry.Value, entry.File, "service");
        var f = reader.Fields(root, "tokens");
        if (!f.TryGetValue("tokens", out var tokensNode) || ConfigReader.IsNull(tokensNode.Node)) return ServiceSettings.None;
        var tokens = new List<ServiceTokenSpec>();
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, node) in reader.Entries(tokensNode))
        {
            if (!LabelRules.IsValidValue(name) || name.Length == 0)
                reader.Problem(node, $"token name '{name}' must be a short name (at most 63 of A-Z a-z 0-9 - _ . , starting and ending alphanumeric)");
            var t = reader.Fields(node, "role", "token");
            var roleText = reader.String(t, "role", node, required: true);
            ServiceRole? role = roleText switch
            {
                "viewer" => ServiceRole.Viewer,
                "operator" => ServiceRole.Operator,
                _ => null,
            };
            if (roleText is not null && role is null) reader.Problem(t["role"], $"role '{roleText}' must be viewer or operator");
            var token = Secret(t, node, config, reader, name);
            if (token is null || role is null) continue;
            var hash = SHA256.HashData(Encoding.UTF8.GetBytes(token));
            var hex = Convert.ToHexString(hash);
            if (seen.TryGetValue(hex, out var other))
                reader.Problem(t["token"], $"token '{name}' has the same value as token '{other}': each holder needs its own, so the audit can tell them apart");
            else
                seen[hex] = name;
            tokens.Add(new ServiceTokenSpec(name, role.Value, hash));
        }
        return new ServiceSettings(tokens);
    }

    private static string? Secret(Dictionary<string, ConfigNode> fields, ConfigNode owner, IStackConfig config, ConfigReader reader, string name)
    {
        if (!fields.TryGetValue("token", out var at) || ConfigReader.IsNull(at.Node))
        {
            reader.Problem(owner, $"'token' is required (set it with: edgeinfra config set --secret --path service.tokens.{name}.token VALUE)");
            return null;
        }
        if (!YamlValue.TryGetSecure(at.Node, out var ciphertext))
        {
            reader.Problem(at, $"token '{name}' is in plaintext: a token must be a secret (edgeinfra config set --secret --path service.tokens.{name}.token VALUE)");
            return null;
        }
        string token;
        try
        {
            token = config.Decrypt(ciphertext);
        }
        catch (ConfigException e)
        {
            reader.Problem(at, e.Message);
            return null;
        }
        if (token.Length < MinTokenLength || token.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            reader.Problem(at, $"token '{name}' must be at least {MinTokenLength} characters with no spaces or control characters (e.g. openssl rand -base64 32)");
            return null;
        }
        return token;
    }
}
