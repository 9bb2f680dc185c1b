using System.Collections.Immutable;
using System.Text.RegularExpressions;
using EdgeInfra.Components.Model;
using EdgeInfra.Engine.Config;
using YamlDotNet.RepresentationModel;

namespace EdgeInfra.StackInputs.Config;

/// <summary>Reads <c>edge-infra:bootstrap</c>: how EdgeInfra reaches each store device over SSH and what it installs.</summary>
/// <remarks>An empty mapping (the schema default) means the stack bootstraps no device, as in the lab.</remarks>
internal static partial class BootstrapConfigReader
{
    private static readonly string[] Known =
        ["privateKeyKey", "user", "port", "addressLabel", "concurrency", "connectTimeout", "commandTimeout", "retries", "devices", "k3s", "fleetAgent"];

    public static BootstrapSettings? Read(ConfigEntry? entry, IStackConfig config, string projectDir, ConfigReader reader)
    {
        if (entry is null || entry.Value is YamlMappingNode { Children.Count: 0 } || ConfigReader.IsNull(entry.Value)) return null;
        var root = new ConfigNode(entry.Value, entry.File, FleetConfigKeys.Bootstrap);
        if (reader.Mapping(root) is null) return null;
        var f = reader.Fields(root, Known);

        var keyName = SecretKey(reader, config, f, "privateKeyKey", root, "the OpenSSH private key EdgeInfra logs in with", "\"$(cat ~/.ssh/edge_ed25519)\"");
        var user = reader.String(f, "user", root) ?? BootstrapSettings.DefaultUser;
        CheckUser(reader, f.GetValueOrDefault("user"), user);
        var port = Port(reader, f, "port", root) ?? BootstrapSettings.DefaultPort;
        var concurrency = reader.Integer(f, "concurrency", root) ?? BootstrapSettings.DefaultConcurrency;
        if (concurrency is < 1 or > 1024) reader.Problem(f["concurrency"], $"concurrency {concurrency} must be between 1 and 1024");
        var retries = reader.Integer(f, "retries", root) ?? BootstrapSettings.DefaultRetries;
        if (retries is < 0 or > 10) reader.Problem(f["retries"], $"retries {retries} must be between 0 and 10");

        var devices = ImmutableSortedDictionary.CreateBuilder<string, DeviceSettings>(StringComparer.Ordinal);
        if (f.TryGetValue("devices", out var devicesNode))
            foreach (var (store, node) in reader.Entries(devicesNode))
                devices[store] = Device(reader, store, node);

        var k3s = K3s(reader, f.GetValueOrDefault("k3s"), projectDir);
        FleetAgentBootstrap? agent = null;
        if (f.TryGetValue("fleetAgent", out var agentNode))
        {
            var a = reader.Fields(agentNode, "registrationKey", "chartRepo", "chartVersion");
            var registration = SecretKey(reader, config, a, "registrationKey", agentNode,
                "the values of the hub's ClusterRegistrationToken secret", "\"$(cat values.yaml)\"");
            if (registration is not null)
                agent = new FleetAgentBootstrap(registration,
                    reader.String(a, "chartRepo", agentNode) ?? FleetAgentBootstrap.DefaultChartRepo,
                    reader.String(a, "chartVersion", agentNode) ?? FleetAgentBootstrap.DefaultChartVersion);
        }

        return new BootstrapSettings(reader.String(f, "addressLabel", root), port, user, devices.ToImmutable(), keyName ?? "",
            concurrency, reader.Duration(f, "connectTimeout", root) ?? BootstrapSettings.DefaultConnectTimeout,
            reader.Duration(f, "commandTimeout", root) ?? BootstrapSettings.DefaultCommandTimeout, retries, k3s, agent, root.Location);
    }

    /// <summary>Unknown store ids in <c>devices</c> are almost always typos: report them once the inventory is known.</summary>
    public static void CheckDevices(BootstrapSettings bootstrap, IEnumerable<Store> stores, List<string> problems)
    {
        var ids = stores.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var id in bootstrap.Devices.Keys.Where(id => !ids.Contains(id)))
            problems.Add($"{bootstrap.Location}: {FleetConfigKeys.Bootstrap}.devices: store '{id}' is not in the inventory");
    }

    private static DeviceSettings Device(ConfigReader reader, string store, ConfigNode node)
    {
        if (!DnsLabel.IsValid(store)) reader.Problem(node, $"'{store}' is not a store id (a DNS-1123 label)");
        var d = reader.Fields(node, "address", "port", "user", "hostKey");
        var address = reader.String(d, "address", node);
        if (address is not null && Uri.CheckHostName(address) == UriHostNameType.Unknown)
            reader.Problem(d["address"], $"store '{store}' address '{address}' is not a host name or IP address");
        var user = reader.String(d, "user", node);
        if (user is not null) CheckUser(reader, d["user"], user);
        var hostKey = reader.String(d, "hostKey", node);
        if (hostKey is not null && !HostKeyPattern().IsMatch(hostKey.Trim()))
            reader.Problem(d["hostKey"], $"store '{store}' hostKey must be an OpenSSH SHA-256 fingerprint (SHA256:<43 base64 characters>, as ssh-keygen -lf prints)");
        return new DeviceSettings(address, Port(reader, d, "port", node), user, hostKey?.Trim());
    }

    private static K3sBootstrap K3s(ConfigReader reader, ConfigNode? node, string projectDir)
    {
        if (node is not { } n) return new K3sBootstrap(K3sBootstrap.ScriptInstall, K3sBootstrap.DefaultScriptUrl, null, []);
        var k = reader.Fields(n, "install", "scriptUrl", "artifacts", "disable");
        var install = reader.String(k, "install", n) ?? K3sBootstrap.ScriptInstall;
        if (install is not (K3sBootstrap.ScriptInstall or K3sBootstrap.AirgapInstall))
            reader.Problem(k["install"], $"k3s install '{install}' must be '{K3sBootstrap.ScriptInstall}' or '{K3sBootstrap.AirgapInstall}'");
        var scriptUrl = reader.String(k, "scriptUrl", n) ?? K3sBootstrap.DefaultScriptUrl;
        if (!(Uri.TryCreate(scriptUrl, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
            reader.Problem(k.GetValueOrDefault("scriptUrl", n), $"k3s scriptUrl '{scriptUrl}' must be an http(s) URL");
        string? artifacts = null;
        if (reader.String(k, "artifacts", n) is { } dir)
        {
            artifacts = Path.GetFullPath(Path.Combine(projectDir, dir));
            foreach (var required in new[] { "k3s", "install.sh" })
                if (install == K3sBootstrap.AirgapInstall && !File.Exists(Path.Combine(artifacts, required)))
                    reader.Problem(k["artifacts"], $"k3s artifacts directory {artifacts} has no '{required}' (air-gapped install needs k3s, install.sh and optionally k3s-airgap-images-*)");
        }
        else if (install == K3sBootstrap.AirgapInstall)
            reader.Problem(n, "k3s install 'airgap' needs 'artifacts' (a directory holding k3s, install.sh and optionally k3s-airgap-images-*)");
        var disable = reader.StringList(k, "disable");
        foreach (var d in disable.Where(d => !DnsLabel.IsValid(d)))
            reader.Problem(k["disable"], $"k3s disable '{d}' is not a packaged component name");
        return new K3sBootstrap(install, scriptUrl, artifacts, [.. disable]);
    }

    private static string? SecretKey(ConfigReader reader, IStackConfig config, Dictionary<string, ConfigNode> fields, string field,
        ConfigNode owner, string what, string example)
    {
        var key = reader.String(fields, field, owner, required: true);
        if (key is null) return null;
        if (!key.Contains(':', StringComparison.Ordinal)) key = $"{FleetConfigKeys.Namespace}:{key}";
        if (config.Get(key) is not { } value)
            reader.Problem(fields[field], $"secret '{key}' ({what}) is not set; set it with: edgeinfra config set --stack {config.Stack} --secret {key} {example}");
        else if (!value.IsSecure)
            reader.Problems.Add($"{value.File}:{value.Line}: {key}: {what} must be set with --secret");
        return key;
    }

    private static int? Port(ConfigReader reader, Dictionary<string, ConfigNode> fields, string name, ConfigNode owner)
    {
        var port = reader.Integer(fields, name, owner);
        if (port is < 1 or > 65535) reader.Problem(fields[name], $"port {port} must be between 1 and 65535");
        return port;
    }

    private static void CheckUser(ConfigReader reader, ConfigNode? at, string user)
    {
        if (UserPattern().IsMatch(user)) return;
        if (at is { } node) reader.Problem(node, $"user '{user}' is not a login name (lower-case letters, digits, '_' and '-')");
        else reader.Problems.Add($"{FleetConfigKeys.Bootstrap}: user '{user}' is not a login name");
    }

    [GeneratedRegex(@"^[a-z_][a-z0-9_-]{0,31}\z")]
    private static partial Regex UserPattern();

    [GeneratedRegex(@"^(SHA256:)?[A-Za-z0-9+/]{43}=?\z")]
    private static partial Regex HostKeyPattern();
}
