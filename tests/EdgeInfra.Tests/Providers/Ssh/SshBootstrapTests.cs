using EdgeInfra.Tests.Fixtures;

namespace EdgeInfra.Tests.Providers.Ssh;

/// <summary><c>edgeinfra up</c> / <c>refresh</c> of a stack that bootstraps store devices, against real OpenSSH servers.</summary>
[Collection(SshDeviceCollection.Name)]
public sealed class SshBootstrapTests(SshDeviceFixture fixture)
{
    private const string Registries = "/etc/rancher/k3s/registries.yaml";
    private const string Config = "/etc/rancher/k3s/config.yaml";
    private const string AgentManifest = "/var/lib/rancher/k3s/server/manifests/edgeinfra-fleet-agent.yaml";

    [Fact]
    public async Task Up_BareDevices_InstallsK3sWritesRealPathsRegistersAgentAndRestartsOnce()
    {
        var a = await fixture.StartDeviceAsync("store-a");
        var b = await fixture.StartDeviceAsync("store-b");
        using var project = new BootstrapProject(fixture, [("store-a", "127.0.0.1", a.Port, null), ("store-b", "127.0.0.1", b.Port, null)]);

        var up = await project.Up();

        Assert.True(up.ExitCode == 0, $"{up}\n--- sshd a\n{a.ServerLog}");
        foreach (var (device, store) in new[] { (a, "store-a"), (b, "store-b") })
        {
            Assert.Equal(SshDeviceFixture.StandInK3s(SshDeviceFixture.StandInVersion).ReplaceLineEndings("\n") + "\n", device.ReadFile("/usr/local/bin/k3s"));
            Assert.NotNull(device.ReadFile("/var/lib/rancher/k3s/agent/images/k3s-airgap-images-amd64.tar.zst"));
            var config = device.ReadFile(Config);
            Assert.NotNull(config);
            Assert.Contains($"node-name: {store}", config);
            Assert.Contains("edgeinfra.io/rollout-ring=canary", config);
            Assert.Contains("- traefik", config);
            var registries = device.ReadFile(Registries);
            Assert.NotNull(registries);
            Assert.Contains("https://mirror-eu.example.test:5000", registries);
            Assert.Contains("s3cr3t-Mq7vX", registries); // the device itself needs the credential
            Assert.Equal("600", device.Exec($"stat -c %a '{Registries}'").Trim());
            var agent = device.ReadFile(AgentManifest);
            Assert.NotNull(agent);
            Assert.Contains("kind: HelmChart", agent);
            Assert.Contains($"clientID: {store}", agent);
            Assert.Contains("apiServerURL: \"https://hub.example.test:6443\"", agent);
            Assert.Contains(BootstrapProject.FleetToken, agent);
            Assert.Equal(
                [
                    $"install.sh INSTALL_K3S_VERSION={SshDeviceFixture.StandInVersion} INSTALL_K3S_SKIP_DOWNLOAD=true INSTALL_K3S_EXEC=server INSTALL_K3S_SKIP_START=true",
                    "systemctl restart k3s",
                ],
                device.Calls);
        }
        // The other device's files are not visible to this one, nor on the host.
        Assert.False(File.Exists(Registries), "the host's own /etc/rancher must stay untouched");
    }
}
