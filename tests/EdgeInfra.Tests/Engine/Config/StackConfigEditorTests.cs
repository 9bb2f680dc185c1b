using EdgeInfra.Engine.Config;

namespace EdgeInfra.Tests.Engine.Config;

public sealed class StackConfigEditorTests
{
    private const int Fast = ConfigTestProject.FastIterations;
    private const string OpenProject = "name: edge-infra\nruntime: dotnet\nconfig:\n  region:\n    type: string\n    default: \"\"\n  enabled:\n    type: string\n    default: \"\"\n  replicas:\n    type: string\n    default: \"\"\n  token:\n    type: string\n    secret: true\n  greeting: hello\n  hub:\n    type: object\n    default: {}\n  apps:\n    type: object\n    default: {}\n  rings:\n    type: array\n    items: { type: object }\n    default: []\n";

    private static void Set(ConfigTestProject p, string key, string value, bool secret = false, bool path = false, IPassphraseSource? pass = null) =>
        StackConfigEditor.Set(p.Load(), "prod", key, value, secret, path, pass ?? new ForbiddenPassphrase(), Fast);

    [Fact]
    public void Set_NewFile_WritesNamespacedStringKeys()
    {
        using var p = new ConfigTestProject(OpenProject);

        Set(p, "region", "emea");
        Set(p, "kubernetes:context", "lab");
        Set(p, "enabled", "true");
        Set(p, "replicas", "3");

        Assert.Equal("""
            config:
              edge-infra:region: emea
              kubernetes:context: lab
              edge-infra:enabled: "true"
              edge-infra:replicas: "3"

            """.ReplaceLineEndings("\n"), p.ReadStack("prod"));
        Assert.Empty(Directory.GetFiles(p.Dir, "*.tmp"));
    }

    [Fact]
    public void Set_UndeclaredProjectKey_RefusedBeforeTheFileChanges()
    {
        using var p = new ConfigTestProject(OpenProject);
        Set(p, "region", "emea");
        var before = p.ReadStack("prod");

        var e = Assert.Throws<ConfigException>(() => Set(p, "regoin", "apac"));

        Assert.Contains("'edge-infra:regoin' is not declared", e.Message);
        Assert.Contains("region", e.Message);
        Assert.Equal(before, p.ReadStack("prod"));
    }

    [Theory]
    [InlineData("emea", "emea")]
    [InlineData("true", "\"true\"")]
    [InlineData("42", "\"42\"")]
    [InlineData("1.5", "\"1.5\"")]
    [InlineData("yes", "\"yes\"")]
    [InlineData("null", "\"null\"")]
    [InlineData("a: b", "\"a: b\"")]
    [InlineData("#tag", "\"#tag\"")]
    [InlineData("- x", "\"- x\"")]
    [InlineData("", "\"\"")]
    [InlineData("say \"hi\"\n", "\"say \\\"hi\\\"\\n\"")]
    [InlineData("registry.local:5000", "registry.local:5000")]
    public void Set_StringValue_IsQuotedOnlyWhenPlainWouldReadDifferently(string value, string written)
    {
        using var p = new ConfigTestProject(OpenProject);
        Set(p, "greeting", value);
        Assert.Equal($"config:\n  edge-infra:greeting: {written}\n", p.ReadStack("prod"));
        Assert.Equal(value, StackConfigEditor.Get(p.Load(), "prod", "greeting", false, false));
    }

    [Fact]
    public void Get_ShowSecretsOnPlainValueWithoutSalt_ReturnsIt()
    {
        using var p = new ConfigTestProject(OpenProject);
        Set(p, "greeting", "hi");
        Assert.Equal("hi", StackConfigEditor.Get(p.Load(), "prod", "greeting", false, true, new ForbiddenPassphrase(), Fast));
    }

    [Fact]
    public void Set_WithPath_CreatesNestedTypedYaml()
    {
        using var p = new ConfigTestProject(OpenProject);

        Set(p, "apps.pos-app.version", "1.4.2", path: true);
        Set(p, "apps.pos-app.replicas", "3", path: true);
        Set(p, "rings[0].name", "canary", path: true);
        Set(p, "rings[0].bake", "true", path: true);
        Set(p, "rings[1].name", "all", path: true);
        Set(p, "apps.pos-app.tag", "0123", path: true);

        Assert.Equal("""
            config:
              edge-infra:apps:
                pos-app:
                  version: 1.4.2
                  replicas: 3
                  tag: "0123"
              edge-infra:rings:
                - name: canary
                  bake: true
                - name: all

            """.ReplaceLineEndings("\n"), p.ReadStack("prod"));
        Assert.Equal("""{"version":"1.4.2","replicas":3,"tag":"0123"}""", StackConfigEditor.Get(p.Load(), "prod", "apps.pos-app", true, false));
        Assert.Equal("true", StackConfigEditor.Get(p.Load(), "prod", "rings[0].bake", true, false));
    }

    [Fact]
    public void Set_PathIndexPastEnd_IsRejected()
    {
        using var p = new ConfigTestProject(OpenProject);
        Set(p, "rings[0]", "a", path: true);
        var e = Assert.Throws<ConfigException>(() => Set(p, "rings[5]", "b", path: true));
        Assert.Contains("array index 5 is out of range", e.Message);
    }

    [Fact]
    public void Set_Secret_EncryptsCreatesSaltAndNeverWritesPlaintext()
    {
        using var p = new ConfigTestProject(OpenProject);
        var pass = new FixedPassphrase("correct horse");
        Set(p, "greeting", "hi");

        Set(p, "token", "hunter2-token", secret: true, pass: pass);
        Set(p, "hub.webhook", "https://hooks.example/abc", secret: true, path: true, pass: pass);

        var text = p.ReadStack("prod");
        Assert.DoesNotContain("hunter2", text);
        Assert.DoesNotContain("hooks.example", text);
        var lines = text.Split('\n');
        Assert.StartsWith("encryptionsalt: v1:", lines[0]);
        Assert.Equal(["config:", "  edge-infra:greeting: hi", "  edge-infra:token:"], lines[1..4]);
        Assert.StartsWith("    secure: v1:", lines[4]);
        Assert.Equal("  edge-infra:hub:", lines[5]);
        Assert.Equal("    webhook:", lines[6]);
        Assert.StartsWith("      secure: v1:", lines[7]);

        var config = StackConfigLoader.Load(p.Load(), "prod", pass, Fast);
        Assert.Equal("hunter2-token", config.GetSecret("token"));
        Assert.Equal("""{"webhook":"https://hooks.example/abc"}""", config.GetSecret("hub"));
        Assert.Equal("https://hooks.example/abc", config.Get("hub")!.ToJson(config)!["webhook"]!.GetValue<string>());
    }

    [Fact]
    public void Get_Secret_IsMaskedUnlessShowSecrets()
    {
        using var p = new ConfigTestProject(OpenProject);
        var pass = new FixedPassphrase("pw");
        Set(p, "token", "t0ken", secret: true, pass: pass);
        Set(p, "hub.webhook", "w", secret: true, path: true, pass: pass);

        Assert.Equal("[secret]", StackConfigEditor.Get(p.Load(), "prod", "token", false, false, new ForbiddenPassphrase(), Fast));
        Assert.Equal("""{"webhook":"[secret]"}""", StackConfigEditor.Get(p.Load(), "prod", "hub", false, false, new ForbiddenPassphrase(), Fast));
        Assert.Equal("t0ken", StackConfigEditor.Get(p.Load(), "prod", "token", false, true, pass, Fast));
        Assert.Equal("w", StackConfigEditor.Get(p.Load(), "prod", "hub.webhook", true, true, pass, Fast));
    }

    [Fact]
    public void Set_SecretWithWrongPassphrase_FailsAndLeavesFileUnchanged()
    {
        using var p = new ConfigTestProject(OpenProject);
        Set(p, "token", "a", secret: true, pass: new FixedPassphrase("one"));
        var before = p.ReadStack("prod");

        var e = Assert.Throws<ConfigException>(() => Set(p, "token", "b", secret: true, pass: new FixedPassphrase("two")));

        Assert.StartsWith("incorrect passphrase for stack 'prod'", e.Message);
        Assert.Equal(before, p.ReadStack("prod"));
    }

    [Fact]
    public void Set_DeclaredSecretWithoutSecretFlag_IsRefused()
    {
        using var p = new ConfigTestProject(OpenProject);
        var e = Assert.Throws<ConfigException>(() => Set(p, "token", "plain"));
        Assert.Contains("is declared secret", e.Message);
        Assert.False(File.Exists(p.StackPath("prod")));
    }

    [Fact]
    public void Set_ExistingFile_KeepsCommentsAndOrderForScalarEditsAndAppends()
    {
        using var p = new ConfigTestProject(OpenProject);
        p.WriteStack("prod", """
            # Production stack: owned by the platform team.
            config:
              # where the hub lives
              edge-infra:region: emea   # do not change lightly
              kubernetes:context: prod-hub
              edge-infra:apps:
                pos-app:
                  version: 1.4.1 # bumped by release
            """);

        Set(p, "region", "apac");
        Set(p, "apps.pos-app.version", "1.4.2", path: true);
        Set(p, "apps.pos-app.replicas", "4", path: true);
        Set(p, "greeting", "hey there: you");

        Assert.Equal("""
            # Production stack: owned by the platform team.
            config:
              # where the hub lives
              edge-infra:region: apac   # do not change lightly
              kubernetes:context: prod-hub
              edge-infra:apps:
                pos-app:
                  version: 1.4.2 # bumped by release
                  replicas: 4
              edge-infra:greeting: "hey there: you"

            """.ReplaceLineEndings("\n"), p.ReadStack("prod"));
    }

    [Fact]
    public void Set_SecretOnExistingFile_InsertsSaltAndKeepsComments()
    {
        using var p = new ConfigTestProject(OpenProject);
        p.WriteStack("prod", "config:\n  # keep me\n  edge-infra:greeting: hi\n");
        var pass = new FixedPassphrase("pw");

        Set(p, "token", "x", secret: true, pass: pass);
        var first = p.ReadStack("prod");
        Set(p, "token", "y", secret: true, pass: pass);
        var second = p.ReadStack("prod");

        Assert.Matches("^encryptionsalt: v1:[^\n]+\nconfig:\n  # keep me\n  edge-infra:greeting: hi\n  edge-infra:token:\n    secure: v1:[^\n]+\n$", first);
        Assert.Equal(first.Split('\n')[..5], second.Split('\n')[..5]);
        Assert.NotEqual(first, second);
        Assert.Equal("y", StackConfigLoader.Load(p.Load(), "prod", pass, Fast).GetSecret("token"));
    }

    [Fact]
    public void Remove_KeyAndPath_RemovesAndKeepsTheRest()
    {
        using var p = new ConfigTestProject(OpenProject);
        p.WriteStack("prod", "# head\nconfig:\n  edge-infra:a: 1\n  edge-infra:apps:\n    x: 1\n    y: 2\n  edge-infra:b: 2\n");

        Assert.True(StackConfigEditor.Remove(p.Load(), "prod", "a", false));
        Assert.True(StackConfigEditor.Remove(p.Load(), "prod", "apps.x", true));
        Assert.False(StackConfigEditor.Remove(p.Load(), "prod", "nope", false));

        Assert.Equal("# head\nconfig:\n  edge-infra:apps:\n    y: 2\n  edge-infra:b: 2\n", p.ReadStack("prod"));
    }

    [Fact]
    public void Remove_LastKey_DropsConfigBlock()
    {
        using var p = new ConfigTestProject(OpenProject);
        p.WriteStack("prod", "encryptionsalt: v1:fozI5u6B030=:v1:F+6ZduKKd8G0/V7L:PGMFeIzwobWRKmEAzUdaQHqC5mMRIQ==\nconfig:\n  edge-infra:a: 1\n");
        Assert.True(StackConfigEditor.Remove(p.Load(), "prod", "edge-infra:a", false));
        Assert.Equal("encryptionsalt: v1:fozI5u6B030=:v1:F+6ZduKKd8G0/V7L:PGMFeIzwobWRKmEAzUdaQHqC5mMRIQ==\n", p.ReadStack("prod"));
    }

    [Fact]
    public void Get_UnsetKey_FallsBackToProjectDefaultOrNull()
    {
        using var p = new ConfigTestProject(OpenProject);
        Assert.Equal("hello", StackConfigEditor.Get(p.Load(), "prod", "greeting", false, false));
        Assert.Null(StackConfigEditor.Get(p.Load(), "prod", "missing", false, false));
    }

    [Fact]
    public void Set_ThenLoad_ValuesPassTypeChecks()
    {
        using var p = new ConfigTestProject();
        var pass = new FixedPassphrase("pw");
        Set(p, "rings[0].name", "canary", path: true);
        Set(p, "rings[0].percent", "1", path: true);
        Set(p, "enabled", "false");
        Set(p, "replicas", "5");
        Set(p, "registryToken", "tok", secret: true, pass: pass);

        var config = StackConfigLoader.Load(p.Load(), "prod", pass, Fast);

        Assert.Equal(5, config.Get("replicas")!.AsInt32());
        Assert.False(config.Get("enabled")!.AsBoolean());
        Assert.Equal(1, config.Get("rings")!.ToJson()![0]!["percent"]!.GetValue<int>());
        Assert.Equal("tok", config.GetSecret("registryToken"));
    }
}
