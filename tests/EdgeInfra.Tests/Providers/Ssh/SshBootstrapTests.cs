using System.Text.RegularExpressions;
using EdgeInfra.Tests.Cli;
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

    [Fact]
    public async Task Up_SecondRun_ChangesNothingOnTheDevices()
    {
        var a = await fixture.StartDeviceAsync("store-a");
        using var project = new BootstrapProject(fixture, [("store-a", "127.0.0.1", a.Port, null)]);
        var first = await project.Up();
        Assert.True(first.ExitCode == 0, first.ToString());
        var calls = a.Calls;
        var stamp = a.Exec($"stat -c %Y%n '{Registries}' '{Config}' '{AgentManifest}' /usr/local/bin/k3s");

        var second = await project.Up();
        var refresh = await project.Refresh("--expect-no-changes");

        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains("No changes", second.Out);
        Assert.True(refresh.ExitCode == 0, refresh.ToString());
        Assert.Contains("no drift", refresh.Out);
        Assert.Equal(calls, a.Calls);
        Assert.Equal(stamp, a.Exec($"stat -c %Y%n '{Registries}' '{Config}' '{AgentManifest}' /usr/local/bin/k3s"));
    }

    [Fact]
    public async Task Refresh_HandEditedRegistriesAndOtherK3sVersion_ReportsDriftAndNextUpCorrectsWithRestart()
    {
        var a = await fixture.StartDeviceAsync("store-a");
        var b = await fixture.StartDeviceAsync("store-b");
        var c = await fixture.StartDeviceAsync("store-c");
        using var project = new BootstrapProject(fixture,
            [("store-a", "127.0.0.1", a.Port, null), ("store-b", "127.0.0.1", b.Port, null), ("store-c", "127.0.0.1", c.Port, null)]);
        var runs = new List<CliRun> { await project.Up() };
        Assert.True(runs[0].ExitCode == 0, runs[0].ToString());
        var desiredRegistries = a.ReadFile(Registries);
        a.WriteFile(Registries, "mirrors:\n  docker.io:\n    endpoint: [\"https://rogue.example.test\"]\n");
        b.WriteFile("/usr/local/bin/k3s", SshDeviceFixture.StandInK3s("v1.29.0+k3s1"), "755");
        var callsBefore = new[] { a.Calls.Count, b.Calls.Count, c.Calls.Count };

        var refresh = await project.Refresh();
        runs.Add(refresh);

        Assert.True(refresh.ExitCode == 0, refresh.ToString());
        Assert.Contains("edge:k3s:Registries store-a", refresh.Out);
        Assert.Contains("edge:k3s:Install store-b", refresh.Out);
        Assert.Contains("v1.29.0+k3s1", refresh.Out);
        Assert.Contains("edge:k3s:Service store-a", refresh.Out);
        Assert.DoesNotContain("store-c", refresh.Out);
        Assert.DoesNotContain("rogue", refresh.Out); // registries.yaml is a secret: its content is never shown

        var up = await project.Up();
        runs.Add(up);
        var after = await project.Refresh("--expect-no-changes");
        runs.Add(after);

        Assert.True(up.ExitCode == 0, up.ToString());
        Assert.Equal(desiredRegistries, a.ReadFile(Registries));
        Assert.Equal($"k3s version {SshDeviceFixture.StandInVersion} (98262b5d)\n", b.Exec("k3s --version | head -n1"));
        Assert.Equal(["systemctl restart k3s"], a.Calls.Skip(callsBefore[0]));
        Assert.Equal(
            [
                $"install.sh INSTALL_K3S_VERSION={SshDeviceFixture.StandInVersion} INSTALL_K3S_SKIP_DOWNLOAD=true INSTALL_K3S_EXEC=server INSTALL_K3S_SKIP_START=true",
                "systemctl restart k3s",
            ],
            b.Calls.Skip(callsBefore[1]));
        Assert.Equal(callsBefore[2], c.Calls.Count);
        Assert.True(after.ExitCode == 0, after.ToString());
        SecretScan.AssertNoLeak(project.Dir, runs, BootstrapProject.MirrorSecret, BootstrapProject.FleetToken, fixture.ClientPrivateKey);
    }

    [Fact]
    public async Task Up_OneStoreUnreachable_OthersAreBootstrappedAndOnlyItIsReported()
    {
        var a = await fixture.StartDeviceAsync("store-a");
        var c = await fixture.StartDeviceAsync("store-c");
        using var project = new BootstrapProject(fixture,
            [("store-a", "127.0.0.1", a.Port, null), ("store-b", "127.0.0.1", SshDeviceFixture.UnusedPort(), null), ("store-c", "127.0.0.1", c.Port, null)]);

        var up = await project.Up();
        var refresh = await project.Refresh();

        Assert.Equal(1, up.ExitCode);
        Assert.Contains("store 'store-b' is unreachable", Flat(up));
        Assert.DoesNotContain("store 'store-a'", Flat(up));
        Assert.DoesNotContain("store 'store-c'", Flat(up));
        foreach (var device in new[] { a, c })
        {
            Assert.NotNull(device.ReadFile(Registries));
            Assert.NotNull(device.ReadFile(AgentManifest));
            Assert.Contains("systemctl restart k3s", device.Calls);
        }
        // What reached the reachable stores is recorded: refresh reads them without drift; the unreachable store has
        // nothing in state to read yet, and the next up tries it again.
        Assert.True(refresh.ExitCode == 0, refresh.ToString());
        Assert.Contains("no drift", refresh.Out);
        var retry = await project.Run("preview", "--stack", BootstrapProject.Stack, "--ring", BootstrapProject.Ring);
        Assert.Contains("store-b", retry.Out);
    }

    [Fact]
    public async Task Up_PinnedHostKeyDiffers_RefusesThatStoreNamingBothKeys()
    {
        var a = await fixture.StartDeviceAsync("store-a");
        var b = await fixture.StartDeviceAsync("store-b");
        // store-a's pin is store-b's key: whoever answers at store-a's address is not the box that was pinned.
        using var project = new BootstrapProject(fixture, [("store-a", "127.0.0.1", a.Port, b.HostKey), ("store-b", "127.0.0.1", b.Port, b.HostKey)]);

        var up = await project.Up();

        Assert.Equal(1, up.ExitCode);
        var output = Flat(up);
        Assert.Contains($"store 'store-a' (root@127.0.0.1:{a.Port}): host key mismatch", output);
        Assert.Contains($"expected {b.HostKey} (pinned in config)", output);
        Assert.Contains($"presented {a.HostKey}", output);
        Assert.Null(a.ReadFile(Registries));
        Assert.Empty(a.Calls);
        Assert.NotNull(b.ReadFile(Registries));
    }

    [Fact]
    public async Task Refresh_DeviceHostKeyChangedAfterFirstContact_RefusesWithTheRecordedKey()
    {
        var a = await fixture.StartDeviceAsync("store-a");
        using var project = new BootstrapProject(fixture, [("store-a", "127.0.0.1", a.Port, null)]);
        var up = await project.Up();
        Assert.True(up.ExitCode == 0, up.ToString());
        var firstKey = a.HostKey;

        await a.RestartWithNewHostKeyAsync();
        var refresh = await project.Refresh();

        Assert.NotEqual(firstKey, a.HostKey);
        Assert.Equal(1, refresh.ExitCode);
        Assert.Contains($"store 'store-a' (root@127.0.0.1:{a.Port}): host key mismatch", Flat(refresh));
        Assert.Contains($"expected {firstKey} (recorded in state on first contact), the device presented {a.HostKey}", Flat(refresh));
        Assert.Contains("no drift", refresh.Out); // nothing read from the impostor is adopted into state
    }

    [Theory]
    [InlineData("site-id: store-a", "site-id: \"x';reboot;'\"", "label site-id")]
    [InlineData("region: central-europe", "region: \"$(reboot)\"", "label region")]
    [InlineData("- id: store-a", "- id: \"store-a;reboot\"", "store id")]
    public async Task Up_HostileInventoryValue_IsRejectedBeforeAnyDeviceIsTouched(string original, string hostile, string expected)
    {
        var a = await fixture.StartDeviceAsync("store-a");
        using var project = new BootstrapProject(fixture, [("store-a", "127.0.0.1", a.Port, null)]);
        File.WriteAllText(project.InventoryPath, File.ReadAllText(project.InventoryPath).Replace(original, hostile, StringComparison.Ordinal));
        if (expected == "store id")
            File.WriteAllText(project.StackFile, File.ReadAllText(project.StackFile).Replace("      store-a: {", "      \"store-a;reboot\": {", StringComparison.Ordinal));

        var up = await project.Up();

        Assert.True(up.ExitCode == 2, up.ToString());
        Assert.Contains(expected, Flat(up));
        Assert.Null(a.ReadFile(Registries));
        Assert.Empty(a.Calls);
    }

    [Fact]
    public async Task Up_HostileBootstrapAddressOrUser_IsRejected()
    {
        using var project = new BootstrapProject(fixture, [("store-a", "127.0.0.1;reboot", 22, null)],
            extraBootstrap: "    user: \"root;reboot\"\n");

        var up = await project.Up();

        Assert.True(up.ExitCode == 2, up.ToString());
        Assert.Contains("address '127.0.0.1;reboot' is not a host name or IP address", Flat(up));
        Assert.Contains("user 'root;reboot' is not a login name", Flat(up));
    }

    /// <summary>The run's output with line wrapping undone (the console wraps long error lines).</summary>
    private static string Flat(CliRun run) => Regex.Replace(run.Out + run.Error, @"\s+", " ");
}
