namespace EdgeInfra.Tests.Stacks;

/// <summary><c>edge-infra:bootstrap</c>: every bad field reported at once, with file and line; the lab has none.</summary>
public sealed class BootstrapConfigTests
{
    private static string WithBootstrap(string bootstrap) => TempProject.ValidStack.TrimEnd() + "\n  edge-infra:bootstrap:\n" + bootstrap;

    [Fact]
    public void Load_NoBootstrap_ModelHasNone()
    {
        using var project = new TempProject();

        Assert.Null(project.Load().Model.Bootstrap);
    }

    [Fact]
    public void Load_BadBootstrap_ReportsEveryProblemWithItsLine()
    {
        using var project = new TempProject(WithBootstrap("""
                privateKeyKey: sshKey
                user: "root;reboot"
                port: 70000
                concurrency: 0
                colour: blue
                devices:
                  store-a: {address: "10.0.0.1; reboot", hostKey: "not-a-key"}
                  store-zz: {address: 10.0.0.9}
                k3s:
                  install: sideload
                  disable: ["traefik;x"]
                fleetAgent:
                  chartVersion: 1.0.0
            """));

        var problems = project.Problems();

        string[] expected =
        [
            "secret 'edge-infra:sshKey' (the OpenSSH private key EdgeInfra logs in with) is not set",
            "user 'root;reboot' is not a login name",
            "port 70000 must be between 1 and 65535",
            "concurrency 0 must be between 1 and 1024",
            "unknown field 'colour'",
            "address '10.0.0.1; reboot' is not a host name or IP address",
            "hostKey must be an OpenSSH SHA-256 fingerprint",
            "k3s install 'sideload' must be 'script' or 'airgap'",
            "k3s disable 'traefik;x' is not a packaged component name",
            "'registrationKey' is required",
            "devices: store 'store-zz' is not in the inventory",
        ];
        foreach (var e in expected)
            Assert.True(problems.Any(p => p.Contains(e, StringComparison.Ordinal)), $"missing '{e}' in:\n{string.Join('\n', problems)}");
        Assert.Contains(problems, p => p.StartsWith("Pulumi.test.yaml:", StringComparison.Ordinal) && p.Contains("user 'root;reboot'", StringComparison.Ordinal));
    }
}
