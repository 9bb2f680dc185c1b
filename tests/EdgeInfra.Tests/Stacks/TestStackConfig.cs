using EdgeInfra.Engine.Config;
using YamlDotNet.RepresentationModel;

namespace EdgeInfra.Tests.Stacks;

/// <summary>A test-only stack config: Pulumi.yaml defaults overlaid by a stack file's <c>config:</c>, both parsed from YAML text.</summary>
/// <remarks>Secure values decrypt to the plaintexts given in <c>secrets</c>; no real encryption.</remarks>
internal sealed class TestStackConfig : IStackConfig
{
    private readonly Dictionary<string, ConfigEntry> _entries = new(StringComparer.Ordinal);
    private readonly IReadOnlyDictionary<string, string> _secrets;

    public TestStackConfig(string stack, string projectYaml, string stackYaml, string stackFile,
        IReadOnlyDictionary<string, string>? secrets = null)
    {
        Stack = stack;
        _secrets = secrets ?? new Dictionary<string, string>();
        var project = Load(projectYaml);
        Project = (project.Children.TryGetValue("name", out var n) ? (n as YamlScalarNode)?.Value : null) ?? "edge-infra";
        if (project.Children.TryGetValue("config", out var schema) && schema is YamlMappingNode decls)
            foreach (var (k, v) in decls.Children)
            {
                if (v is YamlMappingNode d && d.Children.TryGetValue("default", out var dflt))
                    Add(Namespaced(((YamlScalarNode)k).Value!), dflt, "Pulumi.yaml");
            }
        var stackDoc = Load(stackYaml);
        if (stackDoc.Children.TryGetValue("config", out var config) && config is YamlMappingNode values)
            foreach (var (k, v) in values.Children)
                Add(Namespaced(((YamlScalarNode)k).Value!), v, stackFile);
    }

    /// <summary>The config of a shipped stack: <c>Pulumi.yaml</c> and <c>Pulumi.&lt;stack&gt;.yaml</c> from <paramref name="projectDir"/>.</summary>
    public static TestStackConfig FromProject(string projectDir, string stack, IReadOnlyDictionary<string, string>? secrets = null) =>
        new(stack, File.ReadAllText(Path.Combine(projectDir, "Pulumi.yaml")),
            File.ReadAllText(Path.Combine(projectDir, $"Pulumi.{stack}.yaml")), $"Pulumi.{stack}.yaml", secrets);

    public string Project { get; }
    public string Stack { get; }
    public IReadOnlyCollection<ConfigEntry> Entries => _entries.Values;
    public ConfigEntry? Get(string key) => _entries.GetValueOrDefault(key);

    public string GetSecret(string key) =>
        _entries.TryGetValue(key, out var e) && e.IsSecure && _secrets.TryGetValue(key, out var plain)
            ? plain
            : throw new KeyNotFoundException($"no secret '{key}'");

    public string Decrypt(string ciphertext) => throw new KeyNotFoundException("test config holds no ciphertexts");

    private void Add(string key, YamlNode value, string file)
    {
        var secure = value is YamlMappingNode m && m.Children.Count == 1 && m.Children.ContainsKey("secure");
        _entries[key] = new ConfigEntry(key, value, secure, file);
    }

    private string Namespaced(string key) => key.Contains(':') ? key : $"{Project}:{key}";

    private static YamlMappingNode Load(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.Count > 0 && stream.Documents[0].RootNode is YamlMappingNode m ? m : new YamlMappingNode();
    }
}
