using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EdgeInfra.Engine.Config;
using YamlDotNet.RepresentationModel;

namespace EdgeInfra.Tests.Engine.Config;

public sealed class StackConfigLoaderTests
{
    private const string ValidStack = """
        encryptionsalt: v1:fozI5u6B030=:v1:F+6ZduKKd8G0/V7L:PGMFeIzwobWRKmEAzUdaQHqC5mMRIQ==
        config:
          edge-infra:rings:
            - name: canary
              percent: 1
            - name: all
              percent: 100
          enabled: "true"
          edge-infra:apps:
            pos-app:
              version: 1.4.2
              replicas: 3
          aws:region: eu-west-1
          edge-infra:registryToken:
            secure: v1:AAAAAAAAAAAAAAAA:AAAAAAAAAAAAAAAAAAAAAAAA
        """;

    [Fact]
    public void Load_ValidStack_MergesDefaultsAndNamespacesBareKeys()
    {
        using var p = new ConfigTestProject();
        p.WriteStack("prod", ValidStack);

        var config = StackConfigLoader.Load(p.Load(), "prod", new ForbiddenPassphrase());

        Assert.Equal("edge-infra", config.Project);
        Assert.Equal("prod", config.Stack);
        Assert.Equal(
            ["edge-infra:rings", "edge-infra:enabled", "edge-infra:apps", "aws:region", "edge-infra:registryToken", "edge-infra:replicas", "edge-infra:region", "kubernetes:context"],
            config.Entries.Select(e => e.Key));
        Assert.True(config.Get("enabled")!.AsBoolean());
        Assert.Equal(2, config.Get("replicas")!.AsInt32());
        Assert.Equal("Pulumi.yaml", config.Get("edge-infra:replicas")!.File);
        Assert.Equal("Pulumi.prod.yaml", config.Get("rings")!.File);
        Assert.Equal(4, config.Get("rings")!.Line); // the value starts on the first "- " line
        Assert.Equal("lab", config.Get("kubernetes:context")!.AsString());
        Assert.True(config.Get("registryToken")!.IsSecure);
        Assert.False(config.Get("apps")!.IsSecure);
        Assert.False(config.SecretsManager!.KeyDerived);
    }

    [Fact]
    public void GetJson_ObjectValue_KeepsYamlTyping()
    {
        using var p = new ConfigTestProject();
        p.WriteStack("prod", ValidStack);
        var config = StackConfigLoader.Load(p.Load(), "prod", new ForbiddenPassphrase());

        var rings = ((IStackConfig)config).GetJson("rings")!;
        Assert.Equal("""[{"name":"canary","percent":1},{"name":"all","percent":100}]""", rings.ToJsonString());
        var apps = config.Get("apps")!.ToJson()!;
        Assert.Equal("1.4.2", apps["pos-app"]!["version"]!.GetValue<string>());
        Assert.Equal(3, apps["pos-app"]!["replicas"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("replicas", "\"7\"", "7")]
    [InlineData("replicas", "7", "7")]
    [InlineData("enabled", "\"true\"", "true")]
    [InlineData("region", "42", "\"42\"")]
    [InlineData("untyped", "42", "42")]
    [InlineData("untyped", "\"42\"", "\"42\"")]
    public void GetJson_TopLevelScalar_IsTypedBySchema(string key, string yamlValue, string json)
    {
        using var p = new ConfigTestProject(
            "name: edge-infra\nruntime: dotnet\nconfig:\n  replicas: { type: integer, default: 1 }\n  region: { type: string, default: x }\n  enabled: { type: boolean, default: true }\n  untyped: { default: 0 }\n");
        p.WriteStack("s", $"config:\n  edge-infra:{key}: {yamlValue}\n");

        var config = StackConfigLoader.Load(p.Load(), "s", new ForbiddenPassphrase());

        Assert.Equal(json, config.GetJson(key)!.ToJsonString());
    }

    [Fact]
    public void Load_MissingStackFileWithRequiredKeys_ReportsEachMissingKey()
    {
        using var p = new ConfigTestProject();
        var e = Assert.Throws<ConfigException>(() => StackConfigLoader.Load(p.Load(), "lab", new ForbiddenPassphrase()));
        Assert.Equal(3, e.Problems.Count);
        Assert.Equal($"{"Pulumi.lab.yaml"}: Stack 'lab' is missing configuration value 'edge-infra:rings' (declared at Pulumi.yaml:5)", e.Problems[0]);
        Assert.Contains("'edge-infra:enabled'", e.Problems[1]);
        Assert.Contains("'edge-infra:registryToken'", e.Problems[2]);
    }

    [Fact]
    public void Load_MissingStackFileAndNothingRequired_IsEmptyConfigWithDefaults()
    {
        using var p = new ConfigTestProject("name: edge-infra\nruntime: dotnet\nconfig:\n  replicas: 2\n");
        var config = StackConfigLoader.Load(p.Load(), "lab", new ForbiddenPassphrase());
        Assert.Equal("2", config.Get("replicas")!.AsString());
    }

    [Fact]
    public void Load_TypeErrorsAndUnknownKeys_ReportsAllAtOnceWithFileAndLine()
    {
        using var p = new ConfigTestProject();
        p.WriteStack("prod", """
            config:
              edge-infra:rings: canary
              edge-infra:enabled: yes
              edge-infra:replicas: three
              edge-infra:regoin: emea
              edge-infra:registryToken: hunter2
              edge-infra:apps: [a]
            """);

        var e = Assert.Throws<ConfigException>(() => StackConfigLoader.Load(p.Load(), "prod", new ForbiddenPassphrase()));
        var file = "Pulumi.prod.yaml";
        Assert.Equal([
            $"{file}:2: Stack 'prod' with configuration key 'edge-infra:rings' must be of type 'array<object>'",
            $"{file}:3: Stack 'prod' with configuration key 'edge-infra:enabled' must be of type 'boolean'",
            $"{file}:4: Stack 'prod' with configuration key 'edge-infra:replicas' must be of type 'integer'",
            $"{file}:5: configuration key 'edge-infra:regoin' is not declared in the config schema of Pulumi.yaml",
            $"{file}:6: Stack 'prod' with configuration key 'edge-infra:registryToken' must be encrypted as it's secret",
            $"{file}:7: Stack 'prod' with configuration key 'edge-infra:apps' must be of type 'object'",
        ], e.Problems);
        Assert.DoesNotContain("hunter2", e.Message);
    }

    [Theory]
    [InlineData("replicas", "\"7\"")]
    [InlineData("replicas", "7")]
    [InlineData("region", "42")]
    [InlineData("region", "true")]
    [InlineData("enabled", "false")]
    [InlineData("enabled", "\"true\"")]
    public void Load_TopLevelScalars_AreCheckedAsPulumiStrings(string key, string yamlValue)
    {
        using var p = new ConfigTestProject(
            "name: edge-infra\nruntime: dotnet\nconfig:\n  replicas: { type: integer, default: 1 }\n  region: { type: string, default: x }\n  enabled: { type: boolean, default: true }\n");
        p.WriteStack("s", $"config:\n  edge-infra:{key}: {yamlValue}\n");

        var config = StackConfigLoader.Load(p.Load(), "s", new ForbiddenPassphrase());

        Assert.Equal(yamlValue.Trim('"'), config.Get(key)!.AsString());
    }

    [Theory]
    [InlineData("a:b:c")]
    [InlineData(":a")]
    [InlineData("edge-infra:")]
    public void Load_MalformedKey_IsReportedInPulumiWords(string key)
    {
        using var p = new ConfigTestProject("name: edge-infra\nruntime: dotnet\n");
        p.WriteStack("s", $"config:\n  \"{key}\": 1\n");
        var e = Assert.Throws<ConfigException>(() => StackConfigLoader.Load(p.Load(), "s", new ForbiddenPassphrase()));
        Assert.Equal($"{"Pulumi.s.yaml"}:2: could not parse {key} as a configuration key (configuration keys should be of the form `<namespace>:<name>`)", Assert.Single(e.Problems));
    }

    [Fact]
    public void Load_StackWithoutSecrets_NeverAsksForPassphraseNorDerivesKey()
    {
        using var p = new ConfigTestProject("name: edge-infra\nruntime: dotnet\nconfig:\n  a: 1\n");
        // A stack that once had secrets keeps its salt; loading it must still not derive the key.
        p.WriteStack("lab", "encryptionsalt: v1:fozI5u6B030=:v1:F+6ZduKKd8G0/V7L:PGMFeIzwobWRKmEAzUdaQHqC5mMRIQ==\nconfig:\n  edge-infra:a: 2\n");

        var config = StackConfigLoader.Load(p.Load(), "lab", new ForbiddenPassphrase());

        Assert.Equal("2", config.Get("a")!.AsString());
        Assert.NotNull(config.SecretsManager);
        Assert.False(config.SecretsManager!.KeyDerived);
    }

    [Fact]
    public void GetSecret_PublicLoadPath_DerivesWithPulumiIterationCount()
    {
        // The salt was written by Pulumi's Go CLI; its check word only decrypts under the 1,000,000-round key.
        const string pulumiSalt = "v1:fozI5u6B030=:v1:F+6ZduKKd8G0/V7L:PGMFeIzwobWRKmEAzUdaQHqC5mMRIQ==";
        using var p = new ConfigTestProject("name: edge-infra\nruntime: dotnet\nconfig:\n  token: { type: string, secret: true }\n");
        var ciphertext = new PassphraseSecretsManager(pulumiSalt, new FixedPassphrase("password"), "dev").Encrypt("tok-123");
        p.WriteStack("dev", $"encryptionsalt: {pulumiSalt}\nconfig:\n  edge-infra:token:\n    secure: {ciphertext}\n");

        var config = StackConfigLoader.Load(p.Load(), "dev", new FixedPassphrase("password"));

        Assert.Equal("tok-123", config.GetSecret("token"));
    }

    [Fact]
    public void GetSecret_WrongPassphrase_FailsNamingTheStack()
    {
        using var p = new ConfigTestProject("name: edge-infra\nruntime: dotnet\nconfig:\n  token: { type: string, secret: true }\n");
        StackConfigEditor.Set(p.Load(), "prod", "token", "tok", true, false, new FixedPassphrase("right"), ConfigTestProject.FastIterations);

        var config = StackConfigLoader.Load(p.Load(), "prod", new FixedPassphrase("wrong"), ConfigTestProject.FastIterations);

        var e = Assert.Throws<ConfigException>(() => config.GetSecret("token"));
        Assert.StartsWith("incorrect passphrase for stack 'prod'", e.Message);
    }

    [Fact]
    public void Load_NoSaltAndDefaultPassphraseSource_NeedsNoSecretsManager()
    {
        using var p = new ConfigTestProject("name: edge-infra\nruntime: dotnet\nconfig:\n  a: 1\n");
        p.WriteStack("lab", "config:\n  edge-infra:a: 2\n");

        var config = StackConfigLoader.Load(p.Load(), "lab", passphrase: null);

        Assert.Null(config.Secrets);
        Assert.Equal("2", config.GetSecret("a"));
    }

    [Fact]
    public void Load_SecureValuesWithoutSalt_IsReported()
    {
        using var p = new ConfigTestProject("name: edge-infra\nruntime: dotnet\nconfig:\n  token: { type: string, secret: true }\n");
        p.WriteStack("prod", "config:\n  edge-infra:token:\n    secure: v1:AAAA:AAAA\n");
        var e = Assert.Throws<ConfigException>(() => StackConfigLoader.Load(p.Load(), "prod", new ForbiddenPassphrase()));
        Assert.Equal($"{"Pulumi.prod.yaml"}: holds secure values but no 'encryptionsalt', so they cannot be decrypted", Assert.Single(e.Problems));
    }

    [Fact]
    public void Load_SecretDefaultInPlaintext_IsReportedAtProjectFile()
    {
        using var p = new ConfigTestProject("name: edge-infra\nruntime: dotnet\nconfig:\n  token:\n    type: string\n    secret: true\n    default: changeme\n");
        var e = Assert.Throws<ConfigException>(() => StackConfigLoader.Load(p.Load(), "lab", new ForbiddenPassphrase()));
        Assert.StartsWith($"Pulumi.yaml:4: Stack 'lab' with configuration key 'edge-infra:token' must be encrypted as it's secret", Assert.Single(e.Problems));
    }

    [Theory]
    [InlineData("secretsprovider: awskms://alias/x\n", "secrets provider 'awskms://alias/x' is not supported")]
    [InlineData("confg: {}\n", "unknown stack attribute 'confg'")]
    [InlineData("config: [a]\n", "'config' must be a mapping of configuration keys")]
    public void Load_BadStackShape_IsReported(string yaml, string expected)
    {
        using var p = new ConfigTestProject("name: edge-infra\nruntime: dotnet\n");
        p.WriteStack("prod", yaml);
        var e = Assert.Throws<ConfigException>(() => StackConfigLoader.Load(p.Load(), "prod", new ForbiddenPassphrase()));
        Assert.Contains(expected, Assert.Single(e.Problems));
        // Named as the user sees it in the project, not by its absolute path (issue 9).
        Assert.StartsWith("Pulumi.prod.yaml:1: ", e.Problems[0]);
    }

    [Fact]
    public void Load_InvalidYaml_ReportsFileAndLine()
    {
        using var p = new ConfigTestProject("name: edge-infra\nruntime: dotnet\n");
        p.WriteStack("prod", "config:\n  a: 1\n   b: 2\n");
        var e = Assert.Throws<ConfigException>(() => StackConfigLoader.Load(p.Load(), "prod", new ForbiddenPassphrase()));
        Assert.Matches(@"^Pulumi\.prod\.yaml:[23]: invalid YAML: [A-Z]", Assert.Single(e.Problems));
    }

    [Fact]
    public void ToJson_NestedSecureWithoutResolver_FailsClearly()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader("a:\n  secure: v1:x:y\n"));
        Assert.Throws<ConfigException>(() => YamlValue.ToJson(stream.Documents[0].RootNode));
        Assert.Equal("""{"a":"plain"}""", YamlValue.ToJson(stream.Documents[0].RootNode, _ => "plain")!.ToJsonString());
    }

    [Theory]
    [InlineData("x: 1", "1")]
    [InlineData("x: '1'", "\"1\"")]
    [InlineData("x: true", "true")]
    [InlineData("x: ~", "null")]
    [InlineData("x: 1.5", "1.5")]
    [InlineData("x: 1.4.2", "\"1.4.2\"")]
    [InlineData("x: 12345678901", "12345678901")]
    public void ScalarToJson_PlainAndQuotedScalars_FollowYamlCoreSchema(string yaml, string json)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var node = (YamlMappingNode)stream.Documents[0].RootNode;
        Assert.Equal(json, (YamlValue.ToJson(node.Children.Values.Single()) ?? JsonValue.Create((string?)null))?.ToJsonString() ?? "null");
    }
}
