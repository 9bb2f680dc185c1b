using System.Security.Cryptography;
using System.Text;
using EdgeInfra.Engine.Config;
using EdgeInfra.StackInputs;
using EdgeInfra.StackInputs.Config;
using EdgeInfra.Tests.Engine.Config;

namespace EdgeInfra.Tests.Stacks.Config;

public sealed class ServiceConfigReaderTests
{
    private const string ProjectYaml = """
        name: edge-infra
        runtime: dotnet
        config:
          service:
            type: object
            default: {}
        """;

    private const string CiToken = "ci-0123456789abcdefghijklmnop";

    [Fact]
    public void Load_SecretTokensWithRoles_KeepsOnlyTheirDigests()
    {
        using var p = new ConfigTestProject(ProjectYaml);
        Set(p, "service.tokens.ci.role", "operator");
        Set(p, "service.tokens.ci.token", CiToken, secret: true);
        Set(p, "service.tokens.dashboard.role", "viewer");
        Set(p, "service.tokens.dashboard.token", "dash-0123456789abcdefghijklmnop", secret: true);

        var settings = ServiceConfigReader.Load(Load(p));

        Assert.Equal([("ci", ServiceRole.Operator), ("dashboard", ServiceRole.Viewer)], settings.Tokens.Select(t => (t.Name, t.Role)));
        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(CiToken)), settings.Tokens[0].Sha256);
        Assert.DoesNotContain(CiToken, p.ReadStack("prod"), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_Unset_HasNoTokens()
    {
        using var p = new ConfigTestProject(ProjectYaml);
        p.WriteStack("prod", "config: {}\n");

        Assert.Empty(ServiceConfigReader.Load(Load(p)).Tokens);
    }

    [Theory]
    [InlineData("role", "admin", false, "role 'admin' must be viewer or operator")]
    [InlineData("token", CiToken, false, "token 'ci' is in plaintext")]
    [InlineData("token", "short-token", true, "must be at least 24 characters")]
    [InlineData("token", "has a space in it 0123456789", true, "no spaces or control characters")]
    public void Load_BadToken_RefusesWithFileAndLine(string field, string value, bool secret, string expected)
    {
        using var p = new ConfigTestProject(ProjectYaml);
        Set(p, "service.tokens.ci.role", "operator");
        Set(p, "service.tokens.ci.token", CiToken, secret: true);
        Set(p, $"service.tokens.ci.{field}", value, secret);

        var e = Assert.Throws<FleetModelException>(() => ServiceConfigReader.Load(Load(p)));

        var problem = Assert.Single(e.Problems);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
        Assert.Matches(@"^Pulumi\.prod\.yaml:\d+: ", problem);
    }

    [Fact]
    public void Load_MissingTokenAndSharedValue_ReportsEveryProblem()
    {
        using var p = new ConfigTestProject(ProjectYaml);
        Set(p, "service.tokens.ci.role", "operator");
        Set(p, "service.tokens.ci.token", CiToken, secret: true);
        Set(p, "service.tokens.laptop.role", "operator");
        Set(p, "service.tokens.laptop.token", CiToken, secret: true);
        Set(p, "service.tokens.orphan.role", "viewer");

        var e = Assert.Throws<FleetModelException>(() => ServiceConfigReader.Load(Load(p)));

        Assert.Equal(2, e.Problems.Count);
        Assert.Contains(e.Problems, m => m.Contains("token 'laptop' has the same value as token 'ci'", StringComparison.Ordinal));
        Assert.Contains(e.Problems, m => m.Contains("'token' is required (set it with: edgeinfra config set --secret --path service.tokens.orphan.token", StringComparison.Ordinal));
    }

    private static void Set(ConfigTestProject p, string key, string value, bool secret = false) =>
        StackConfigEditor.Set(p.Load(), "prod", key, value, secret, path: true, new FixedPassphrase("s3cret"), ConfigTestProject.FastIterations);

    private static StackConfig Load(ConfigTestProject p) =>
        StackConfigLoader.Load(p.Load(), "prod", new FixedPassphrase("s3cret"), ConfigTestProject.FastIterations);
}
